import { ingestStoredInRange, ingestStoredRequests, type Store } from '@radar/store';
import { type EncodedRows, pickRows, rowCount, rowsWhere } from './encoded.js';

const CHUNK = 5_000;
/**
 * Requests match on their exact receive time, so the range only needs to cover the chunk's
 * times (a second for rounding): a wider one made every check read that much more of the table.
 */
const SLACK_MS = 1000;

export interface StoredCheckOptions {
  /**
   * Most rows read by the range check (default: 4 per row checked, plus 1,000: a re-ingest finds
   * each request once or twice, at two stages not yet merged). Past it, IDs are matched instead.
   */
  rangeCap?: number;
}

/**
 * Splits rows by whether their request is already stored at the same or a later stage. Used
 * where a replay is likely (first batch of a partition after (re)assignment, a retried batch,
 * file ingest), so a replay stores nothing twice even when its batch boundaries differ from the
 * first attempt.
 *
 * First it reads what is stored in the rows' time range (ingest_stored_in_range): in one file
 * chunk or one batch that is a few rows, and costs a fifth of matching the IDs. Only when the
 * range holds more than the cap (rows spread over a long time, a busy table) are the IDs
 * matched, 5,000 at a time (ingest_stored_requests). Both read the same rows' versions.
 */
export async function withoutStored(
  store: Store,
  rows: EncodedRows,
  opts: StoredCheckOptions = {},
): Promise<{ fresh: EncodedRows; stored: EncodedRows; alreadyStored: number }> {
  const n = rowCount(rows);
  const none = () => ({ fresh: rows, stored: pickRows(rows, []), alreadyStored: 0 });
  if (n === 0) return none();
  const times = rows.ts.map((t) => Date.parse(t));
  const stored =
    (await storedInRange(store, rows.cluster, times, opts.rangeCap ?? 4 * n + 1000)) ??
    (await storedById(store, rows, times));
  if (stored.size === 0) return none();
  const isNew = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const rank = stageOf(stored, rows.ids[i]!, times[i]!);
    isNew[i] = rank === undefined || rank < rows.ranks[i]! ? 1 : 0;
  }
  const old = rowsWhere(rows, (i) => isNew[i] === 0);
  // The common case (the range held only neighbours): the rows as they are, not a copy.
  if (old.length === 0) return none();
  const fresh = rowsWhere(rows, (i) => isNew[i] === 1);
  return { fresh: pickRows(rows, fresh), stored: pickRows(rows, old), alreadyStored: old.length };
}

/**
 * By audit ID (no key string built per row checked: most rows are not there), the receive
 * times and latest stages found for it, in pairs: [ts, rank, ts, rank, ...].
 */
type StageByRequest = Map<string, number[]>;

function note(stored: StageByRequest, id: string, ts: number, rank: number): void {
  const pairs = stored.get(id);
  if (!pairs) {
    stored.set(id, [ts, rank]);
    return;
  }
  for (let k = 0; k < pairs.length; k += 2) {
    if (pairs[k] === ts) {
      if (pairs[k + 1]! < rank) pairs[k + 1] = rank;
      return;
    }
  }
  pairs.push(ts, rank);
}

function stageOf(stored: StageByRequest, id: string, ts: number): number | undefined {
  const pairs = stored.get(id);
  if (!pairs) return undefined;
  for (let k = 0; k < pairs.length; k += 2) if (pairs[k] === ts) return pairs[k + 1];
  return undefined;
}

function rangeOf(times: readonly number[], from: number, to: number): { from: number; to: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = from; k < to; k++) {
    const t = times[k]!;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { from: (min - SLACK_MS) / 1000, to: (max + SLACK_MS) / 1000 };
}

/** Every stored request in the rows' range, latest stage each; undefined past the cap. */
async function storedInRange(
  store: Store,
  cluster: string,
  times: readonly number[],
  cap: number,
): Promise<StageByRequest | undefined> {
  const found = await ingestStoredInRange.run(store, {
    cluster,
    ...rangeOf(times, 0, times.length),
    cap: cap + 1,
  });
  if (found.length > cap) return undefined;
  const stored: StageByRequest = new Map();
  for (const f of found) note(stored, f.audit_id, f.ts_ms, f.stage_rank);
  return stored;
}

async function storedById(
  store: Store,
  rows: EncodedRows,
  times: readonly number[],
): Promise<StageByRequest> {
  const stored: StageByRequest = new Map();
  for (let i = 0; i < rowCount(rows); i += CHUNK) {
    const end = Math.min(rowCount(rows), i + CHUNK);
    const found = await ingestStoredRequests.run(store, {
      cluster: rows.cluster,
      ...rangeOf(times, i, end),
      ids: [...new Set(rows.ids.slice(i, end))],
    });
    for (const f of found) note(stored, f.audit_id, f.ts_ms, f.stage_rank);
  }
  return stored;
}
