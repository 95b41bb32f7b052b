import { expect, it, describe as suite } from 'vitest';
import { describe, progressLine } from './progress.js';

suite('ingest progress', () => {
  it('shows share, bytes, rate and ETA when the size is known, bytes and rate when not', () => {
    const p = { bytes: 256 * 1024 * 1024, events: 100_000, stored: 90_000 };
    expect(describe(p, 1024 * 1024 * 1024, 10)).toBe(
      '25.0%, 256.0 MiB of 1024.0 MiB read, 100000 events, 90000 stored, 10000 events/s, ETA 0:30',
    );
    expect(describe(p, 0, 10)).toBe('256.0 MiB read, 100000 events, 90000 stored, 10000 events/s');
  });

  it('writes nothing when stderr is not a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const line = progressLine(100, stream);
    line.update({ bytes: 50, events: 1, stored: 1 });
    line.done();
    expect(written).toEqual([]);
  });
});
