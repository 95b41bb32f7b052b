import pRetry from 'p-retry';

/** Raised when a retry loop gives up because the consumer is stopping or lost its partition. */
export class Aborted extends Error {
  override readonly name = 'Aborted';
}

export interface RetryControl {
  canContinue(): boolean;
  heartbeat(): Promise<void>;
}

/** How often a waiting retry heartbeats and checks that it may go on. */
export const HEARTBEAT_MS = 1000;

/**
 * Retries an infrastructure step (ClickHouse insert, DLQ produce) with exponential backoff
 * (p-retry: 200 ms doubling up to maxDelayMs) and heartbeats, for as long as the consumer owns
 * the partition. Nothing is committed meanwhile, so the partition is effectively paused: that
 * is the backpressure.
 */
export async function retrying<T>(
  step: (attempt: number) => Promise<T>,
  ctl: RetryControl,
  opts: { maxDelayMs: number; onRetry(err: Error, attempt: number, delayMs: number): void },
): Promise<T> {
  const stop = new AbortController();
  let attempts = 0;
  let last = '';
  let waiting = false;
  // Heartbeats through the waits keep group membership over long outages; a stop ends a wait
  // (never a step in flight: an insert that lands is reported as landed).
  const beat = setInterval(() => {
    if (!waiting) return;
    if (!ctl.canContinue()) stop.abort(new Aborted(`stopped while retrying: ${last}`));
    else void ctl.heartbeat().catch(() => undefined);
  }, HEARTBEAT_MS);
  try {
    return await pRetry(
      async (n) => {
        attempts = n;
        waiting = false;
        try {
          return await step(n);
        } catch (e) {
          // p-retry gives up on a TypeError at once; every failure of a step here is retried.
          throw e instanceof TypeError ? new Error(e.message, { cause: e }) : e;
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        factor: 2,
        minTimeout: 200,
        maxTimeout: opts.maxDelayMs,
        signal: stop.signal,
        shouldRetry: () => ctl.canContinue(),
        onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
          last = error.message;
          if (ctl.canContinue()) opts.onRetry(error, attemptNumber, retryDelay);
          waiting = true;
        },
      },
    );
  } catch (e) {
    if (e instanceof Aborted || ctl.canContinue()) throw e;
    throw new Aborted(`gave up after ${attempts} attempts: ${(e as Error).message}`);
  } finally {
    clearInterval(beat);
  }
}
