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

/**
 * Concurrent POSTs share one insert (group commit). A POST arriving while no insert runs is
 * inserted at once; those arriving during an insert wait for it and then go together. Each
 * insert costs the engine about the same whatever its size up to thousands of rows (a part, the
 * rollup view), so at 8 POSTs in flight this is ~8x fewer inserts and parts (docs/performance.md).
 * Every POST still learns its own outcome: the rows it stored and its own refused rows; an
 * infrastructure error fails every POST of the group (all answered 503, nothing acknowledged).
 */
export class InsertGroups {
  private waiting: Waiting[] = [];
  private running = false;

  constructor(
    private readonly store: Store,
    /** A group stops growing at this many rows (one insert stays one block). */
    private readonly maxRows = 50_000,
  ) {}

  insert(rows: EncodedRows): Promise<IsolatedInsert> {
    if (rowCount(rows) === 0) return Promise.resolve({ stored: 0, refused: [] });
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
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
