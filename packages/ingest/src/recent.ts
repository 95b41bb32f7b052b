import type { AuditRow } from '@radar/tagger';

/**
 * Requests this worker stored recently, with their stage. Catches duplicates that arrive close
 * together (a webhook POST retried and produced twice, a collector re-sending) without a query.
 * Two generations of maps: O(1) per row and at most 2 x capacity entries in memory.
 */
export class RecentRequests {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** Rows not already stored at the same or a later stage, and how many were dropped. */
  filter(rows: AuditRow[]): { fresh: AuditRow[]; duplicates: number } {
    if (this.capacity === 0) return { fresh: rows, duplicates: 0 };
    const fresh = rows.filter((r) => {
      const key = keyOf(r);
      const rank = this.current.get(key) ?? this.previous.get(key);
      return rank === undefined || rank < r.stage_rank;
    });
    return { fresh, duplicates: rows.length - fresh.length };
  }

  remember(rows: AuditRow[]): void {
    if (this.capacity === 0) return;
    for (const r of rows) {
      this.current.set(keyOf(r), r.stage_rank);
      if (this.current.size >= this.capacity) {
        this.previous = this.current;
        this.current = new Map();
      }
    }
  }
}

const keyOf = (r: AuditRow) => `${r.audit_id}\u0000${r.ts}`;
