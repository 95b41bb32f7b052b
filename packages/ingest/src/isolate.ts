import { createHash } from 'node:crypto';
import { engineErrorCode, isDataError, type Store } from '@radar/store';
import { type EncodedRows, rowCount } from './encoded.js';
import { insertAuditRows, refeedRollup } from './sink.js';
import { withoutStored } from './stored.js';

/** A row the engine refused on its own (a data error isolated from its batch). */
export interface RefusedRow {
  /** Index of the row in the rows given to insertIsolating. */
  index: number;
  auditId: string;
  /** The engine's exception code and message (cut to MAX_MESSAGE: it dumps the row). */
  code: number | undefined;
  message: string;
  /** The row as it was sent: its JSONCompactEachRow line in AUDIT_COLUMNS order, no newline. */
  line: string;
}

export interface IsolatedInsert {
  stored: number;
  refused: RefusedRow[];
}

const MAX_MESSAGE = 1000;
/** The store's limit on dedup tokens; longer derived tokens are hashed. */
const MAX_TOKEN = 200;

/**
 * Inserts rows; when the engine refuses them for their DATA (isDataError: a value it cannot
 * parse, convert or hold, a violated constraint), splits the batch in halves, recursively, stores
 * every row it accepts and returns the refused ones instead of throwing: the same rows would be
 * refused on every retry. Infrastructure errors (connection, TOO_MANY_PARTS, memory, timeouts)
 * still throw, for the caller's backoff.
 *
 * A refused insert stores nothing (checked on the embedded engine, isolate.test.ts): data errors
 * are raised while the block is parsed and checked, before any part is written, and the rollup
 * view only reads columns already typed, so it cannot refuse what the table took. An insert is
 * one block while it stays under min_insert_block_size_rows/bytes (about 1M rows / 256 MiB), far
 * above INGEST_MAX_INSERT_ROWS. Sub-inserts carry tokens derived from `token` and the row range,
 * so a retried isolation of the same rows dedupes the halves it stored before.
 *
 * Cost: k bad rows among n take about 2k·log2(n) extra inserts; the whole batch bad, about 2n.
 */
export async function insertIsolating(
  store: Store,
  rows: EncodedRows,
  token?: string,
): Promise<IsolatedInsert> {
  const out: IsolatedInsert = { stored: 0, refused: [] };
  const insertRange = async (lo: number, hi: number, tok: string | undefined): Promise<void> => {
    try {
      await insertAuditRows(store, sliceRows(rows, lo, hi), tok);
      out.stored += hi - lo;
    } catch (e) {
      if (!isDataError(e)) throw e;
      if (hi - lo === 1) {
        out.refused.push({
          index: lo,
          auditId: rows.ids[lo]!,
          code: engineErrorCode(e),
          message: (e as Error).message.slice(0, MAX_MESSAGE),
          line: lineAt(rows, lo),
        });
        return;
      }
      const mid = lo + Math.floor((hi - lo) / 2);
      await insertRange(lo, mid, subToken(tok, lo, mid));
      await insertRange(mid, hi, subToken(tok, mid, hi));
    }
  };
  if (rowCount(rows) > 0) await insertRange(0, rowCount(rows), token);
  return out;
}

/**
 * Stores rows that may have been stored before (a replay, a retried insert): new requests go to
 * audit_events (refused ones returned, indices into the new requests), known ones to the rollup
 * only. A retry after a failure midway through an isolation lands here, so the halves stored
 * before are skipped.
 */
export async function storeReplayed(
  store: Store,
  rows: EncodedRows,
): Promise<IsolatedInsert & { alreadyStored: number }> {
  const { fresh, stored, alreadyStored } = await withoutStored(store, rows);
  const inserted = await insertIsolating(store, fresh);
  await refeedRollup(store, stored);
  return { ...inserted, alreadyStored };
}

/** The token of rows [lo, hi) of the batch `token` named: the same range, the same token. */
function subToken(token: string | undefined, lo: number, hi: number): string | undefined {
  if (!token) return token;
  const t = `${token}.${lo}-${hi}`;
  return t.length <= MAX_TOKEN ? t : `iso-${createHash('sha256').update(t).digest('hex').slice(0, 40)}`;
}

/** Rows [lo, hi) without copying the bytes. */
function sliceRows(rows: EncodedRows, lo: number, hi: number): EncodedRows {
  if (lo === 0 && hi === rowCount(rows)) return rows;
  const base = lo === 0 ? 0 : rows.ends[lo - 1]!;
  const ends = rows.ends.slice(lo, hi);
  for (let i = 0; i < ends.length; i++) ends[i] = ends[i]! - base;
  return {
    body: rows.body.subarray(base, rows.ends[hi - 1]!),
    ends,
    ids: rows.ids.slice(lo, hi),
    ts: rows.ts.slice(lo, hi),
    ranks: rows.ranks.subarray(lo, hi),
    cluster: rows.cluster,
  };
}

function lineAt(rows: EncodedRows, i: number): string {
  const start = i === 0 ? 0 : rows.ends[i - 1]!;
  const bytes = rows.body.subarray(start, rows.ends[i]! - 1);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
