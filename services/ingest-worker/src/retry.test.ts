import { describe, expect, it } from 'vitest';
import { Aborted, retrying } from './retry.js';

const fastCtl = (canContinue = () => true) => ({
  canContinue,
  heartbeat: async () => {},
  sleep: async () => {},
});

describe('retrying', () => {
  it('retries a failing step with growing delays until it succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const out = await retrying(
      async () => {
        calls++;
        if (calls < 4) throw new Error('clickhouse down');
        return 'stored';
      },
      fastCtl(),
      { maxDelayMs: 1000, onRetry: (_e, _a, d) => delays.push(d) },
    );
    expect(out).toBe('stored');
    expect(delays).toEqual([200, 400, 800]);
  });

  it('caps the delay', async () => {
    const delays: number[] = [];
    let calls = 0;
    await retrying(
      async () => {
        if (++calls < 8) throw new Error('x');
      },
      fastCtl(),
      { maxDelayMs: 5000, onRetry: (_e, _a, d) => delays.push(d) },
    );
    expect(Math.max(...delays)).toBe(5000);
  });

  it('gives up without success when the consumer stops, so nothing is committed', async () => {
    let running = true;
    const p = retrying(
      async () => {
        running = false;
        throw new Error('still down');
      },
      fastCtl(() => running),
      { maxDelayMs: 1000, onRetry: () => {} },
    );
    await expect(p).rejects.toBeInstanceOf(Aborted);
  });
});
