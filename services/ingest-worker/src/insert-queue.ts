import { createHash } from 'node:crypto';
import { Aborted, type RetryControl, retrying } from './retry.js';

export interface InsertJob<Row> {
  partitionKey: string;
  rows: Row[];
  /** Identifies the batch's input (topic-partition-offsets): same token, stored once. */
  token: string;
  /** Commits the batch's offsets once its rows are stored. */
  commit(): Promise<void>;
}

export interface QueueEvents<Row> {
  onStored(rows: number, batches: number, insertMs: number): void;
  onRetry(err: Error, attempt: number, delayMs: number): void;
  onCommitFailed(job: InsertJob<Row>, err: Error): void;
}

/**
 * Inserts run one at a time, in arrival order, while the consumer goes on fetching and
 * decoding the next batches. Batches waiting together are stored in ONE insert (up to
 * maxRows): fewer, larger parts mean far less background merging, which was a large share of
 * the engine's CPU. Offsets are committed in order after the insert that stored them. At most
 * `capacity` batches wait; a full queue makes the consumer wait (backpressure).
 */
export class InsertQueue<Row> {
  private readonly jobs: InsertJob<Row>[] = [];
  private running: Promise<void> | undefined;
  private readonly spaceWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    /** attempt > 1: the rows may be partly stored by the failed attempt. */
    private readonly insert: (rows: Row[], token: string, attempt: number) => Promise<void>,
    private readonly opts: { capacity: number; maxRows: number; retryMaxMs: number },
    private readonly events: QueueEvents<Row>,
  ) {}

  get pending(): number {
    return this.jobs.length;
  }

  /** Waits (heart-beating) until there is room; throws Aborted if the caller must stop. */
  async waitForRoom(ctl: RetryControl): Promise<void> {
    while (this.jobs.length >= this.opts.capacity) {
      if (!ctl.canContinue()) throw new Aborted('stopped while waiting for the insert queue');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.spaceWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await ctl.heartbeat().catch(() => undefined);
    }
  }

  push(job: InsertJob<Row>): void {
    this.jobs.push(job);
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when every queued batch is stored and committed (or the queue was closed). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops retrying: unstored batches stay uncommitted and are replayed by the next owner. */
  close(): void {
    this.closed = true;
  }

  private async run(): Promise<void> {
    const ctl: RetryControl = { canContinue: () => !this.closed, heartbeat: async () => {} };
    while (this.jobs.length > 0) {
      // Take the waiting batches as one insert; fixed once taken, so a retry sends the same rows.
      let n = 0;
      let rows = 0;
      while (n < this.jobs.length && (n === 0 || rows + this.jobs[n]!.rows.length <= this.opts.maxRows)) {
        rows += this.jobs[n]!.rows.length;
        n++;
      }
      const group = this.jobs.slice(0, n);
      const all = group.length === 1 ? group[0]!.rows : group.flatMap((j) => j.rows);
      const token = group.length === 1 ? group[0]!.token : tokenOf(group.map((j) => j.token));
      const t0 = performance.now();
      try {
        await retrying((attempt) => this.insert(all, token, attempt), ctl, {
          maxDelayMs: this.opts.retryMaxMs,
          onRetry: this.events.onRetry,
        });
      } catch (e) {
        if (e instanceof Aborted) {
          this.jobs.length = 0;
          this.wake();
          return;
        }
        throw e;
      }
      this.events.onStored(all.length, group.length, performance.now() - t0);
      for (const job of group) {
        try {
          await job.commit();
        } catch (e) {
          // Lost the partition in a rebalance: the rows are stored; the new owner's replay
          // check finds them, so losing this commit stores nothing twice.
          this.events.onCommitFailed(job, e as Error);
        }
      }
      this.jobs.splice(0, n);
      this.wake();
    }
  }

  private wake(): void {
    for (const w of this.spaceWaiters.splice(0)) w();
  }
}

/** One token for several batches' tokens (ClickHouse tokens are short identifiers). */
function tokenOf(tokens: string[]): string {
  return `multi-${createHash('sha256').update(tokens.join(',')).digest('hex').slice(0, 32)}`;
}
