import { createHash } from 'node:crypto';
import { Aborted, type RetryControl, retrying } from './retry.js';

/** Lingering stops when no batch arrived or got prepared for this long. */
const LINGER_IDLE_MS = 200;

/** A batch waiting for its insert; Ref is whatever the caller keeps with it. */
export type InsertJob<Rows, Ref = object> = Ref & {
  partitionKey: string;
  /**
   * The batch's rows, or their preparation (decode, dead letters, duplicate checks) still
   * running: the consumer fetches the next batch meanwhile. Jobs are stored in push order.
   */
  rows: Rows | Promise<Rows>;
  /** Identifies the batch's input (topic-partition-offsets): same token, stored once. */
  token: string;
  /** Commits the batch's offsets once its rows are stored. */
  commit(): Promise<void>;
};

export interface QueueEvents<Rows, Ref = object> {
  onStored(rows: number, batches: number, insertMs: number): void;
  onRetry(err: Error, attempt: number, delayMs: number): void;
  onCommitFailed(job: InsertJob<Rows, Ref>, err: Error): void;
  /**
   * A job's preparation failed: it and every later job of its partition were dropped unstored
   * and uncommitted (`dropped`); the consumer must fetch that partition again from `job`.
   */
  onPrepareFailed(job: InsertJob<Rows, Ref>, err: Error, dropped: number): void;
}

/** How the queue counts and joins batches of rows (encoded rows in the worker). */
export interface RowsOps<Rows> {
  size(rows: Rows): number;
  merge(list: Rows[]): Rows;
}

interface Entry<Rows, Ref> {
  job: InsertJob<Rows, Ref>;
  settled: Promise<void>;
  value?: Rows;
  error?: Error;
}

/**
 * Inserts run one at a time, in arrival order, while the consumer goes on fetching and
 * decoding the next batches. Batches waiting together are stored in ONE insert (up to
 * maxRows): fewer, larger parts mean far less background merging, which was a large share of
 * the engine's CPU. Offsets are committed in order after the insert that stored them. At most
 * `capacity` batches wait (prepared or not); a full queue makes the consumer wait (backpressure).
 */
export class InsertQueue<Rows, Ref = object> {
  private readonly entries: Entry<Rows, Ref>[] = [];
  private running: Promise<void> | undefined;
  private readonly spaceWaiters: (() => void)[] = [];
  private readonly arrivalWaiters: (() => void)[] = [];
  private closed = false;
  private flushing = 0;

  constructor(
    /**
     * attempt > 1: the rows may be partly stored by the failed attempt. Resolves with how many
     * rows the store refused (dead-lettered instead): the batch is done all the same.
     */
    private readonly insert: (
      rows: Rows,
      token: string,
      attempt: number,
    ) => Promise<{ refused: number }> | Promise<void>,
    private readonly opts: {
      capacity: number;
      maxRows: number;
      retryMaxMs: number;
      /**
       * An insert waits (at most lingerMs) for this many prepared rows: each insert makes a
       * part, and merging small parts cost more CPU than the inserts themselves (measured:
       * 23 us per row with 6,500-row inserts, 14 us with 65,000, docs/performance.md).
       */
      minRows?: number;
      lingerMs?: number;
    },
    private readonly events: QueueEvents<Rows, Ref>,
    private readonly ops: RowsOps<Rows>,
  ) {}

  get pending(): number {
    return this.entries.length;
  }

  /** Waits (heart-beating) until there is room; throws Aborted if the caller must stop. */
  async waitForRoom(ctl: RetryControl): Promise<void> {
    while (this.entries.length >= this.opts.capacity) {
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

  push(job: InsertJob<Rows, Ref>): void {
    const entry: Entry<Rows, Ref> = { job, settled: Promise.resolve() };
    entry.settled = Promise.resolve(job.rows).then(
      (v) => {
        entry.value = v;
        this.arrived();
      },
      (e: unknown) => {
        entry.error = e instanceof Error ? e : new Error(String(e));
        this.arrived();
      },
    );
    this.entries.push(entry);
    this.arrived();
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when every queued batch is stored and committed (or the queue was closed). */
  async drain(): Promise<void> {
    this.flushing++;
    this.arrived();
    try {
      while (this.running) await this.running;
    } finally {
      this.flushing--;
    }
  }

  /** Stops retrying: unstored batches stay uncommitted and are replayed by the next owner. */
  close(): void {
    this.closed = true;
    this.arrived();
  }

  private async run(): Promise<void> {
    const ctl: RetryControl = { canContinue: () => !this.closed, heartbeat: async () => {} };
    while (this.entries.length > 0) {
      const head = this.entries[0]!;
      await head.settled;
      if (head.error) {
        this.dropPartition(head);
        continue;
      }
      await this.linger();
      // Take the waiting, prepared batches as one insert; fixed once taken, so a retry sends the same rows.
      let n = 0;
      let rows = 0;
      while (n < this.entries.length) {
        const e = this.entries[n]!;
        if (e.value === undefined) break;
        const size = this.ops.size(e.value);
        if (n > 0 && rows + size > this.opts.maxRows) break;
        rows += size;
        n++;
      }
      const group = this.entries.slice(0, n);
      const all = n === 1 ? head.value! : this.ops.merge(group.map((e) => e.value!));
      const token = n === 1 ? head.job.token : tokenOf(group.map((e) => e.job.token));
      const t0 = performance.now();
      let refused = 0;
      try {
        const done = await retrying<{ refused: number } | undefined>(
          async (attempt) => (await this.insert(all, token, attempt)) ?? undefined,
          ctl,
          {
            maxDelayMs: this.opts.retryMaxMs,
            onRetry: this.events.onRetry,
          },
        );
        refused = done?.refused ?? 0;
      } catch (e) {
        if (e instanceof Aborted) {
          this.entries.length = 0;
          this.wake();
          return;
        }
        throw e;
      }
      this.events.onStored(rows - refused, n, performance.now() - t0);
      for (const { job } of group) {
        try {
          await job.commit();
        } catch (e) {
          // Lost the partition in a rebalance: the rows are stored; the new owner's replay
          // check finds them, so losing this commit stores nothing twice.
          this.events.onCommitFailed(job, e as Error);
        }
      }
      this.entries.splice(0, n);
      this.wake();
    }
  }

  /** Waits for minRows prepared rows, a full queue, a flush, a pause in arrivals, or lingerMs. */
  private async linger(): Promise<void> {
    const { minRows = 0, lingerMs = 0 } = this.opts;
    const deadline = performance.now() + lingerMs;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0 || this.flushing > 0 || this.closed) return;
      // The insert takes the prepared batches at the head of the queue.
      let ready = 0;
      let next: Entry<Rows, Ref> | undefined;
      for (const e of this.entries) {
        if (e.value === undefined) {
          next = e;
          break;
        }
        ready += this.ops.size(e.value);
      }
      if (ready >= minRows || next?.error) return;
      // Full and all prepared: no more rows come until this insert makes room.
      if (!next && this.entries.length >= this.opts.capacity) return;
      // Wait while batches keep coming; a pause means the input ran dry for now (end of a burst).
      const arrived = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), Math.min(left, LINGER_IDLE_MS));
        this.arrivalWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!arrived) return;
    }
  }

  private arrived(): void {
    for (const w of this.arrivalWaiters.splice(0)) w();
  }

  /** Nothing of a partition may be committed past a batch that was not stored. */
  private dropPartition(failed: Entry<Rows, Ref>): void {
    const key = failed.job.partitionKey;
    const before = this.entries.length;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]!.job.partitionKey === key) this.entries.splice(i, 1);
    }
    this.events.onPrepareFailed(failed.job, failed.error!, before - this.entries.length);
    this.wake();
  }

  private wake(): void {
    for (const w of this.spaceWaiters.splice(0)) w();
  }
}

/** One token for several batches' tokens (ClickHouse tokens are short identifiers). */
function tokenOf(tokens: string[]): string {
  return `multi-${createHash('sha256').update(tokens.join(',')).digest('hex').slice(0, 32)}`;
}
