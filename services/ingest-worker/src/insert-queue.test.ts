import { describe, expect, it } from 'vitest';
import { InsertQueue } from './insert-queue.js';

const quiet = { onStored: () => {}, onRetry: () => {}, onCommitFailed: () => {} };
const ctl = { canContinue: () => true, heartbeat: async () => {} };

describe('InsertQueue', () => {
  it('stores waiting batches in one insert and commits each, in order, only after it', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new InsertQueue<number>(
      async (rows, token) => {
        if (log.length === 0) await gate;
        log.push(`insert ${rows.join(',')} ${token.startsWith('multi-') ? 'multi' : token}`);
      },
      { capacity: 10, maxRows: 100, retryMaxMs: 10 },
      quiet,
    );
    const job = (p: string, rows: number[]) => ({
      partitionKey: p,
      rows,
      token: `t-${p}-${rows[0]}`,
      commit: async () => void log.push(`commit ${p}:${rows.at(-1)}`),
    });
    q.push(job('a', [1, 2]));
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
    const q = new InsertQueue<number>(
      async (rows, token) => {
        seen.push(`${rows.join(',')}/${token}`);
        if (fails-- > 0) throw new Error('clickhouse down');
      },
      { capacity: 10, maxRows: 100, retryMaxMs: 1 },
      quiet,
    );
    q.push({ partitionKey: 'p', rows: [7, 8], token: 'tok', commit: async () => void commits.push('p') });
    await q.drain();
    expect(seen).toEqual(['7,8/tok', '7,8/tok', '7,8/tok']);
    expect(commits).toEqual(['p']);
  });

  it('abandons unstored batches when closed: nothing committed, room again', async () => {
    const q = new InsertQueue<number>(
      async () => {
        throw new Error('down');
      },
      { capacity: 1, maxRows: 100, retryMaxMs: 1 },
      quiet,
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
    const q = new InsertQueue<number>(() => gate, { capacity: 1, maxRows: 100, retryMaxMs: 1 }, quiet);
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
