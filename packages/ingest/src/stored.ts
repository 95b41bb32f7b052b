import { ingestStoredRequests, type Store } from '@radar/store';
import { type EncodedRows, pickRows, rowCount, rowsWhere } from './encoded.js';

const CHUNK = 5_000;
/**
 * Requests match on their exact receive time, so the range only needs to cover the chunk's
 * times (a second for rounding): a wider one made every check read that much more of the table.
 */
const SLACK_MS = 1000;

/**
 * Splits rows by whether their request is already stored at the same or a later stage. Used
 * where a replay is likely (first batch of a partition after (re)assignment, a retried batch,
 * file ingest), so a replay stores nothing twice even when its batch boundaries differ from the
 * first attempt.
 */
export async function withoutStored(
  store: Store,
  rows: EncodedRows,
): Promise<{ fresh: EncodedRows; stored: EncodedRows; alreadyStored: number }> {
  const n = rowCount(rows);
  const none = () => ({ fresh: rows, stored: pickRows(rows, []), alreadyStored: 0 });
  if (n === 0) return none();
  const stored = new Map<string, number>();
  for (let i = 0; i < n; i += CHUNK) {
    const end = Math.min(n, i + CHUNK);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = i; k < end; k++) {
      const t = Date.parse(rows.ts[k]!);
      if (t < min) min = t;
      if (t > max) max = t;
    }
    const found = await ingestStoredRequests.run(store, {
      cluster: rows.cluster,
      from: (min - SLACK_MS) / 1000,
      to: (max + SLACK_MS) / 1000,
      ids: [...new Set(rows.ids.slice(i, end))],
    });
    for (const f of found) stored.set(`${f.audit_id}\u0000${f.ts_ms}`, f.stage_rank);
  }
  if (stored.size === 0) return none();
  const isNew = (i: number) => {
    const rank = stored.get(`${rows.ids[i]}\u0000${Date.parse(rows.ts[i]!)}`);
    return rank === undefined || rank < rows.ranks[i]!;
  };
  const fresh = rowsWhere(rows, isNew);
  const old = rowsWhere(rows, (i) => !isNew(i));
  return { fresh: pickRows(rows, fresh), stored: pickRows(rows, old), alreadyStored: old.length };
}
