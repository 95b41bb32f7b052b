/** Raised when a retry loop gives up because the consumer is stopping or lost its partition. */
export class Aborted extends Error {
  override readonly name = 'Aborted';
}

export interface RetryControl {
  canContinue(): boolean;
  heartbeat(): Promise<void>;
  /** Sleeps; tests pass a fast one. */
  sleep?(ms: number): Promise<void>;
}

/**
 * Retries an infrastructure step (ClickHouse insert, DLQ produce) with exponential backoff and
 * heartbeats, for as long as the consumer owns the partition. Nothing is committed meanwhile,
 * so the partition is effectively paused: that is the backpressure.
 */
export async function retrying<T>(
  step: (attempt: number) => Promise<T>,
  ctl: RetryControl,
  opts: { maxDelayMs: number; onRetry(err: Error, attempt: number, delayMs: number): void },
): Promise<T> {
  const sleep = ctl.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (e) {
      if (!ctl.canContinue()) throw new Aborted(`gave up after ${attempt} attempts: ${(e as Error).message}`);
      const delay = Math.min(opts.maxDelayMs, 200 * 2 ** Math.min(attempt - 1, 10));
      opts.onRetry(e as Error, attempt, delay);
      // Sleep in slices so group membership survives long outages.
      for (let waited = 0; waited < delay; waited += 1000) {
        await sleep(Math.min(1000, delay - waited));
        if (!ctl.canContinue()) throw new Aborted(`stopped while retrying: ${(e as Error).message}`);
        await ctl.heartbeat().catch(() => undefined);
      }
    }
  }
}
