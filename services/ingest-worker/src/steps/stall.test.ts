import { describe, expect, it } from 'vitest';
import { StallTracker, stallProblem } from './stall.js';

describe('StallTracker', () => {
  const clock = () => {
    let t = 1_000_000;
    return {
      now: () => t,
      advance: (ms: number) => {
        t += ms;
      },
    };
  };

  it('names a partition that holds work and made no commit for stallMs, until it commits', () => {
    const c = clock();
    const s = new StallTracker(5_000, c.now);
    s.fetched('audit', 0);
    s.fetched('audit', 1);
    s.settled('audit', 1, true);
    c.advance(4_999);
    expect(s.stalled()).toEqual([]);
    c.advance(1);
    expect(s.stalled()).toEqual([
      { topic: 'audit', partition: 0, pending: 1, waitedMs: 5_000, stalled: true },
    ]);
    expect(stallProblem(s.stalled())).toBe(
      'partitions stalled with uncommitted work and no commit: audit/0 (5s)',
    );
    s.settled('audit', 0, true);
    expect(s.stalled()).toEqual([]);
    expect(stallProblem(s.stalled())).toBeNull();
  });

  it('never counts idle time: the clock starts when work arrives at an idle partition', () => {
    const c = clock();
    const s = new StallTracker(5_000, c.now);
    s.fetched('audit', 0);
    s.settled('audit', 0, true);
    c.advance(60_000); // idle for a minute: not stalled
    s.fetched('audit', 0);
    c.advance(4_000);
    expect(s.stalled()).toEqual([]);
    expect(s.partitions()).toEqual([
      { topic: 'audit', partition: 0, pending: 1, waitedMs: 4_000, stalled: false },
    ]);
  });

  it('keeps counting while batches pile up behind a stuck one, and a failed commit is no progress', () => {
    const c = clock();
    const s = new StallTracker(5_000, c.now);
    s.fetched('audit', 2);
    c.advance(3_000);
    s.fetched('audit', 2); // more work does not restart the clock
    s.settled('audit', 2, false); // its commit failed (partition moved): one left, still no commit
    c.advance(2_000);
    expect(s.stalled().map((p) => [p.partition, p.pending])).toEqual([[2, 1]]);
  });

  it('forgets batches dropped unstored, and everything when the queue is given up', () => {
    const c = clock();
    const s = new StallTracker(1_000, c.now);
    s.fetched('audit', 0);
    s.fetched('audit', 0);
    s.dropped('audit', 0, 2);
    c.advance(10_000);
    expect(s.stalled()).toEqual([]);
    s.fetched('audit', 1);
    c.advance(10_000);
    expect(s.stalled()).toHaveLength(1);
    s.clear();
    expect(s.partitions()).toEqual([]);
  });
});
