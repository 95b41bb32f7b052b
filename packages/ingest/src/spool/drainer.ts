import type { Store } from '@radar/store';
import { concatRows, type EncodedRows } from '../encoded.js';
import { insertIsolating, type RefusedRow } from '../isolate.js';
import { comparePos, type Intent } from './checkpoint.js';
import type { Spool, SpoolLog } from './spool.js';

export interface DrainerOptions {
  /** An insert takes records up to this many rows (one record at least). */
  maxRows: number;
  /** Longest wait, from the oldest pending record's append, for maxRows to gather. */
  flushMs: number;
  /** Backoff cap of retried inserts (200 ms doubling up to this). */
  retryMaxMs: number;
  log: SpoolLog;
  /** Keeps the rows the engine refused (dead_letters); `token` dedupes a repeat after a crash. */
  deadLetter(refused: RefusedRow[], token: string): Promise<void>;
  /** Told every insert's rows and seconds (metrics). */
  observe?: (rows: number, seconds: number) => void;
}

class Aborted extends Error {}

/**
 * Inserts the spool's records in large blocks: reads from the checkpoint on, records the range
 * (intent), inserts it with a token derived from the range, keeps refused rows as dead letters,
 * then advances the checkpoint. After a crash the recorded range is inserted again first, with
 * the same token, so the engine drops what the first attempt stored. Infrastructure errors are
 * retried with backoff, never skipped.
 */
export class SpoolDrainer {
  private stopping = false;
  private aborted = false;
  private failing: string | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly spool: Spool,
    private readonly store: Store,
    private readonly opts: DrainerOptions,
  ) {}

  start(): void {
    this.running = this.run().catch((e: unknown) => {
      if (e instanceof Aborted) return;
      this.failing = `drainer stopped: ${(e as Error).message}`;
      this.opts.log.error({ err: (e as Error).message }, 'spool drainer stopped');
    });
  }

  /** Why the drainer is not storing, or null while it is. */
  health(): string | null {
    return this.failing ?? null;
  }

  /** Stops after inserting what is pending, waiting at most timeoutMs; true when all is stored. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.spool.interrupt();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), timeoutMs);
    });
    const drained = await Promise.race([this.running?.then(() => true) ?? true, timedOut]);
    clearTimeout(timer);
    if (!drained) {
      // What is left is inserted at the next start; an insert in flight is let finish.
      this.aborted = true;
      this.spool.interrupt();
      await this.running;
    }
    return drained && this.spool.pending().records === 0;
  }

  private async run(): Promise<void> {
    const intent = this.spool.checkpoint().intent;
    if (intent) await this.replay(intent);
    while (!this.aborted) {
      const p = this.spool.pending();
      if (p.records === 0) {
        if (this.stopping) return;
        await this.spool.waitForAppend(1000);
        continue;
      }
      const age = Date.now() - (p.oldestAt ?? 0);
      if (!this.stopping && p.rows < this.opts.maxRows && age < this.opts.flushMs) {
        await this.spool.waitForAppend(this.opts.flushMs - age);
        continue;
      }
      const read = await this.spool.readFront({ maxRows: this.opts.maxRows });
      if (read.kind === 'corrupt') {
        const { movedTo, lostRecords } = await this.spool.dropCorrupt(read.at);
        this.opts.log.error(
          { file: read.file, offset: read.at.offset, problem: read.problem, movedTo, lostRecords },
          'spool: corrupt record, segment moved aside',
        );
      } else if (read.kind === 'rows') {
        const range = { from: read.from, to: read.to };
        await this.spool.beginInsert(range);
        await this.insert(range, read.batches, read.rows);
        await this.spool.commit(read.to);
      }
    }
  }

  /** The insert a crash interrupted: the same records, the same token. */
  private async replay(intent: Intent): Promise<void> {
    const read = await this.spool.readFront({ to: intent.to });
    if (
      read.kind === 'rows' &&
      comparePos(read.from, intent.from) === 0 &&
      comparePos(read.to, intent.to) === 0
    ) {
      this.opts.log.info({ intent, rows: read.rows }, 'spool: inserting the interrupted range again');
      await this.insert(intent, read.batches, read.rows);
      await this.spool.commit(intent.to);
      return;
    }
    // Damaged since: what can still be read of it is inserted by the loop under new ranges.
    this.opts.log.error({ intent, found: read.kind }, 'spool: the interrupted range is not intact');
    if (read.kind === 'corrupt') await this.spool.dropCorrupt(read.at);
  }

  private async insert(range: Intent, batches: EncodedRows[], rows: number): Promise<void> {
    const all = concatRows(batches);
    const token = this.spool.token(range);
    const t0 = performance.now();
    const res = await this.retrying(() => insertIsolating(this.store, all, token));
    if (res.refused.length > 0) await this.retrying(() => this.opts.deadLetter(res.refused, `${token}.dead`));
    this.opts.observe?.(rows, (performance.now() - t0) / 1000);
  }

  private async retrying<T>(step: () => Promise<T>): Promise<T> {
    let delay = 200;
    for (;;) {
      try {
        const out = await step();
        this.failing = undefined;
        return out;
      } catch (e) {
        this.failing = `spool inserts failing: ${(e as Error).message}`;
        this.opts.log.warn({ err: (e as Error).message, retryInMs: delay }, 'spool insert failed, retrying');
        if (this.aborted) throw new Aborted();
        await new Promise((r) => setTimeout(r, delay));
        if (this.aborted) throw new Aborted();
        delay = Math.min(delay * 2, this.opts.retryMaxMs);
      }
    }
  }
}
