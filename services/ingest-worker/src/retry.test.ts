import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Aborted, retrying } from './retry.js';

const ctlOf = (canContinue = () => true, heartbeat = async () => {}) => ({ canContinue, heartbeat });

describe('retrying', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries a failing step with growing delays until it succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const out = retrying(
      async () => {
        calls++;
        if (calls < 4) throw new Error('clickhouse down');
        return 'stored';
      },
      ctlOf(),
      { maxDelayMs: 1000, onRetry: (_e, _a, d) => delays.push(d) },
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(out).resolves.toBe('stored');
    expect(delays).toEqual([200, 400, 800]);
  });

  it('caps the delay, and retries TypeErrors too', async () => {
    const delays: number[] = [];
    let calls = 0;
    const out = retrying(
      async () => {
        if (++calls < 8) throw new TypeError('x');
      },
      ctlOf(),
      { maxDelayMs: 5000, onRetry: (_e, _a, d) => delays.push(d) },
    );
    await vi.advanceTimersByTimeAsync(60_000);
    await out;
    expect(calls).toBe(8);
    expect(Math.max(...delays)).toBe(5000);
  });

  it('gives up without success when the consumer stops, so nothing is committed', async () => {
    let running = true;
    const p = retrying(
      async () => {
        running = false;
        throw new Error('still down');
      },
      ctlOf(() => running),
      { maxDelayMs: 1000, onRetry: () => {} },
    );
    await expect(p).rejects.toThrow(/gave up after 1 attempts: still down/);
    await expect(p).rejects.toBeInstanceOf(Aborted);
  });

  it('reports a step that lands even when the partition is lost meanwhile', async () => {
    let running = true;
    const p = retrying(
      async () => {
        running = false;
        await new Promise((r) => setTimeout(r, 5_000));
        return 'stored';
      },
      ctlOf(() => running),
      { maxDelayMs: 1000, onRetry: () => {} },
    );
    await vi.advanceTimersByTimeAsync(6_000);
    await expect(p).resolves.toBe('stored');
  });

  it('heartbeats through a long wait and stops waiting when the partition is lost', async () => {
    let running = true;
    let beats = 0;
    const p = retrying(
      async () => {
        throw new Error('down');
      },
      ctlOf(
        () => running,
        async () => {
          beats++;
        },
      ),
      { maxDelayMs: 60_000, onRetry: () => {} },
    );
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(beats).toBeGreaterThanOrEqual(9);
    running = false;
    await vi.advanceTimersByTimeAsync(1_000);
    const err = await settled;
    expect(err).toBeInstanceOf(Aborted);
    expect(String(err)).toMatch(/stopped while retrying: down/);
  });
});
