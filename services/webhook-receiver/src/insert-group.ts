import {
  concatRows,
  type EncodedRows,
  type IsolatedInsert,
  insertIsolating,
  type RefusedRow,
  rowCount,
} from '@radar/ingest';
import type { Store } from '@radar/store';

interface Waiting {
  rows: EncodedRows;
  resolve(r: IsolatedInsert): void;
  reject(e: unknown): void;
}

export interface InsertGroupOptions {
  /** A group stops growing at this many rows (one insert stays one block). */
  maxRows?: number;
  /**
   * Longest wait for the POSTs a sender keeps in flight to join a group (see InsertGroups); 0
   * starts every insert at once.
   */
  lingerMs?: number;
  /** Told the size of every insert (metrics). */
  observe?: (posts: number, rows: number) => void;
}

/** How long the most POSTs seen in flight at once is remembered. */
const PEAK_WINDOW_MS = 5_000;

/**
 * Concurrent POSTs share one insert (group commit). Each insert costs the engine a fixed part
 * (a part per table, the views planned) besides its rows, and its parts are merged again later,
 * so fewer, larger inserts cost less CPU per event (docs/performance.md).
 *
 * A POST arriving while no insert runs is inserted at once when it is all that is in flight.
 * Otherwise the group waits, at most lingerMs, until as many POSTs wait as were in flight at
 * once lately: without that, a sender keeping 8 POSTs in flight settles into two alternating
 * groups of 4 (those answered come back while the other half is being stored), twice the
 * inserts. Every POST still learns its own outcome: the rows it stored and its own refused rows;
 * an infrastructure error fails every POST of the group (all answered 503, nothing acknowledged).
 */
export class InsertGroups {
  private waiting: Waiting[] = [];
  private running = false;
  /** POSTs given to insert() and not answered yet; the most of them at once, and when. */
  private inFlight = 0;
  private peak = 0;
  private peakAt = 0;
  private wake: (() => void) | undefined;
  private readonly maxRows: number;
  private readonly lingerMs: number;

  constructor(
    private readonly store: Store,
    private readonly opts: InsertGroupOptions = {},
  ) {
    this.maxRows = opts.maxRows ?? 50_000;
    this.lingerMs = opts.lingerMs ?? 0;
  }

  insert(rows: EncodedRows): Promise<IsolatedInsert> {
    if (rowCount(rows) === 0) return Promise.resolve({ stored: 0, refused: [] });
    this.inFlight++;
    const t = Date.now();
    if (this.inFlight >= this.peak || t - this.peakAt > PEAK_WINDOW_MS) {
      this.peak = this.inFlight;
      this.peakAt = t;
    }
    return new Promise<IsolatedInsert>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.wake?.();
      if (!this.running) void this.run();
    }).finally(() => {
      this.inFlight--;
    });
  }

  /** Waits (at most lingerMs) while POSTs that were in flight together are still on their way. */
  private async linger(): Promise<void> {
    const deadline = Date.now() + this.lingerMs;
    while (this.waiting.length < this.peak && this.waitingRows() < this.maxRows) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private waitingRows(): number {
    let n = 0;
    for (const w of this.waiting) n += rowCount(w.rows);
    return n;
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      if (this.lingerMs > 0) await this.linger();
      let n = 0;
      let take = 0;
      while (
        take < this.waiting.length &&
        (take === 0 || n + rowCount(this.waiting[take]!.rows) <= this.maxRows)
      ) {
        n += rowCount(this.waiting[take]!.rows);
        take++;
      }
      const group = this.waiting.splice(0, take);
      try {
        const all = group.length === 1 ? group[0]!.rows : concatRows(group.map((g) => g.rows));
        this.opts.observe?.(group.length, n);
        const inserted = await insertIsolating(this.store, all);
        let start = 0;
        for (const g of group) {
          const end = start + rowCount(g.rows);
          const refused: RefusedRow[] = inserted.refused
            .filter((r) => r.index >= start && r.index < end)
            .map((r) => ({ ...r, index: r.index - start }));
          g.resolve({ stored: end - start - refused.length, refused });
          start = end;
        }
      } catch (e) {
        for (const g of group) g.reject(e);
      }
    }
    this.running = false;
  }
}
