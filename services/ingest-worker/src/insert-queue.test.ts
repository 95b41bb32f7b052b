import { describe, expect, it } from 'vitest';
import { InsertQueue } from './insert-queue.js';

const quiet = { onStored: () => {}, onRetry: () => {}, onCommitFailed: () => {}, onPrepareFailed: () => {} };
const ctl = { canContinue: () => true, heartbeat: async () => {} };
const arrays = { size: (r: number[]) => r.length, merge: (l: number[][]) => l.flat() };

describe('InsertQueue', () => {
  it('stores waiting batches in one insert and commits each, in order, only after it', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new InsertQueue<number[]>(
      async (rows, token) => {
        if (log.length === 0) await gate;
        log.push(`insert ${rows.join(',')} ${token.startsWith('multi-') ? 'multi' : token}`);
      },
      { capacity: 10, maxRows: 100, retryMaxMs: 10 },
      quiet,
      arrays,
    );
    const job = (p: string, rows: number[]) => ({
      partitionKey: p,
      rows,
      token: `t-${p}-${rows[0]}`,
      commit: async () => void log.push(`commit ${p}:${rows.at(-1)}`),
    });
    q.push(job('a', [1, 2]));
    await new Promise((r) => setTimeout(r, 5)); // its insert is running (held at the gate)
    q.push(job('b', [3]));
    q.push(job('a', [4]));
    release();
    await q.drain();
    // The first insert was running when b and a:4 arrived: those two go together, with one token.
    expect(log).toEqual(['insert 1,2 t-a-1', 'commit a:2', 'insert 3,4 multi', 'commit b:3', 'commit a:4']);
  });

  it('retries a failed insert with the same rows and token, committing nothing meanwhile', async () => {
    const seen: string[] = [];
    let fails = 2;
    const commits: string[] = [];
    const q = new InsertQueue<number[]>(
      async (rows, token) => {
        seen.push(`${rows.join(',')}/${token}`);
        if (fails-- > 0) throw new Error('clickhouse down');
      },
      { capacity: 10, maxRows: 100, retryMaxMs: 1 },
      quiet,
      arrays,
    );
    q.push({ partitionKey: 'p', rows: [7, 8], token: 'tok', commit: async () => void commits.push('p') });
    await q.drain();
    expect(seen).toEqual(['7,8/tok', '7,8/tok', '7,8/tok']);
    expect(commits).toEqual(['p']);
  });

  it('abandons unstored batches when closed: nothing committed, room again', async () => {
    const q = new InsertQueue<number[]>(
      async () => {
        throw new Error('down');
      },
      { capacity: 1, maxRows: 100, retryMaxMs: 1 },
      quiet,
      arrays,
    );
    const commits: string[] = [];
    q.push({ partitionKey: 'p', rows: [1], token: 't', commit: async () => void commits.push('x') });
    q.close();
    await q.drain();
    await q.waitForRoom(ctl);
    expect(commits).toEqual([]);
    expect(q.pending).toBe(0);
  });
});

describe('InsertQueue backpressure', () => {
  it('makes the consumer wait while full and stops waiting when told to stop', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new InsertQueue<number[]>(
      () => gate,
      { capacity: 1, maxRows: 100, retryMaxMs: 1 },
      quiet,
      arrays,
    );
    q.push({ partitionKey: 'p', rows: [1], token: 't', commit: async () => {} });
    let running = true;
    const waiting = q.waitForRoom({ canContinue: () => running, heartbeat: async () => {} });
    running = false;
    await expect(waiting).rejects.toThrow(/stopped while waiting/);
    release();
    await q.drain();
    expect(q.pending).toBe(0);
  });
});

describe('InsertQueue with rows still being prepared', () => {
  it('stores in push order even when a later batch is prepared first', async () => {
    const inserted: string[] = [];
    const q = new InsertQueue<number[]>(
      async (rows) => void inserted.push(rows.join(',')),
      { capacity: 10, maxRows: 1, retryMaxMs: 1 },
      quiet,
      arrays,
    );
    let release!: (r: number[]) => void;
    q.push({
      partitionKey: 'p',
      rows: new Promise((r) => (release = r)),
      token: 'a',
      commit: async () => {},
    });
    q.push({ partitionKey: 'q', rows: [2], token: 'b', commit: async () => {} });
    await new Promise((r) => setTimeout(r, 20));
    expect(inserted).toEqual([]);
    release([1]);
    await q.drain();
    expect(inserted).toEqual(['1', '2']);
  });

  it('drops a batch whose preparation failed and every later batch of its partition, unstored and uncommitted', async () => {
    const inserted: string[] = [];
    const commits: string[] = [];
    const failed: string[] = [];
    const q = new InsertQueue<number[], { first: number }>(
      async (rows) => void inserted.push(rows.join(',')),
      { capacity: 10, maxRows: 100, retryMaxMs: 1 },
      {
        ...quiet,
        onPrepareFailed: (job, err, dropped) => failed.push(`${job.first} ${err.message} ${dropped}`),
      },
      arrays,
    );
    const job = (p: string, first: number, rows: number[] | Promise<number[]>) => ({
      partitionKey: p,
      first,
      rows,
      token: `${p}${first}`,
      commit: async () => void commits.push(`${p}${first}`),
    });
    q.push(job('p', 0, [1]));
    q.push(job('p', 10, Promise.reject(new Error('decode thread died'))));
    q.push(job('q', 0, [5]));
    q.push(job('p', 20, [3]));
    await q.drain();
    expect(failed).toEqual(['10 decode thread died 2']);
    expect(inserted).toEqual(['1', '5']);
    expect(commits).toEqual(['p0', 'q0']);
    expect(q.pending).toBe(0);
  });
});

describe('InsertQueue lingering for larger inserts', () => {
  const lingering = (inserted: string[], lingerMs: number) =>
    new InsertQueue<number[]>(
      async (rows) => void inserted.push(rows.join(',')),
      { capacity: 10, maxRows: 100, retryMaxMs: 1, minRows: 3, lingerMs },
      quiet,
      arrays,
    );
  const job = (rows: number[]) => ({ partitionKey: 'p', rows, token: `t${rows[0]}`, commit: async () => {} });

  it('waits for minRows and stores them in one insert', async () => {
    const inserted: string[] = [];
    const q = lingering(inserted, 60_000);
    q.push(job([1]));
    await new Promise((r) => setTimeout(r, 20));
    q.push(job([2]));
    await new Promise((r) => setTimeout(r, 20));
    expect(inserted).toEqual([]);
    q.push(job([3]));
    while (inserted.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(inserted).toEqual(['1,2,3']);
  });

  it('stops waiting when batches stop coming (the end of a burst)', async () => {
    const inserted: string[] = [];
    const q = lingering(inserted, 60_000);
    const t0 = performance.now();
    q.push(job([1]));
    while (inserted.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(inserted).toEqual(['1']);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('stores fewer rows once lingerMs is over, and at once when drained', async () => {
    const inserted: string[] = [];
    const q = lingering(inserted, 30);
    q.push(job([1]));
    while (inserted.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(inserted).toEqual(['1']);

    const slow = lingering(inserted, 60_000);
    slow.push(job([7]));
    await slow.drain();
    expect(inserted).toEqual(['1', '7']);
  });
});
