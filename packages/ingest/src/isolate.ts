import { createHash } from 'node:crypto';
import { engineErrorCode, insertBody, isDataError, type Store } from '@radar/store';
import { AUDIT_COLUMNS } from '@radar/tagger';
import { type EncodedRows, pickRows, rowCount, rowsWhere } from './encoded.js';
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
 * parse, convert or hold, a violated constraint), finds the refused rows, stores every other row
 * and returns the refused ones instead of throwing: the same rows would be refused on every
 * retry. Infrastructure errors (connection, TOO_MANY_PARTS, memory, timeouts) still throw, for
 * the caller's backoff.
 *
 * The refused rows are found by bisection on audit_events_probe (a Null table of the same
 * columns: each try costs a parse, no part), then the rest is stored in one insert. Should the
 * real table refuse more than the probe (a constraint added after the probe was made) or the
 * probe fail otherwise, the bisection runs on audit_events itself, storing each accepted half.
 *
 * A refused insert stores nothing (checked on the embedded engine, isolate.test.ts): data errors
 * are raised while the block is parsed and checked, before any part is written, and the rollup
 * view only reads columns already typed, so it cannot refuse what the table took. An insert is
 * one block while it stays under min_insert_block_size_rows/bytes (about 1M rows / 256 MiB), far
 * above INGEST_MAX_INSERT_ROWS. Inserts after the first carry tokens derived from `token` and
 * their rows, so a retried isolation of the same rows dedupes what it stored before.
 *
 * Cost: k bad rows among n take about 2k·log2(n) probe inserts, plus one insert.
 */
export async function insertIsolating(
  store: Store,
  rows: EncodedRows,
  token?: string,
): Promise<IsolatedInsert> {
  const n = rowCount(rows);
  if (n === 0) return { stored: 0, refused: [] };
  try {
    await insertAuditRows(store, rows, token);
    return { stored: n, refused: [] };
  } catch (e) {
    if (!isDataError(e)) throw e;
  }
  const probed = await bisect(rows, 0, n, token, (part) =>
    insertBody(store, PROBE_TABLE, part.body, { columns: AUDIT_COLUMNS }),
  ).catch(() => undefined);
  if (probed && probed.refused.length > 0) {
    const bad = new Set(probed.refused.map((r) => r.index));
    const good = rowsWhere(rows, (i) => !bad.has(i));
    try {
      await insertAuditRows(store, pickRows(rows, good), subToken(token, `good-${digest(good.join(','))}`));
      return { stored: good.length, refused: probed.refused };
    } catch (e) {
      if (!isDataError(e)) throw e;
    }
  }
  const out = await bisect(rows, 0, n, token, (part, tok) => insertAuditRows(store, part, tok));
  return { stored: n - out.refused.length, refused: out.refused };
}

const PROBE_TABLE = 'audit_events_probe';

/** Rows [lo, hi) tried with `insert`, halved on data errors down to the rows refused alone. */
async function bisect(
  rows: EncodedRows,
  lo: number,
  hi: number,
  token: string | undefined,
  insert: (part: EncodedRows, token: string | undefined) => Promise<void>,
  out: { refused: RefusedRow[] } = { refused: [] },
): Promise<{ refused: RefusedRow[] }> {
  let err: unknown;
  try {
    await insert(sliceRows(rows, lo, hi), token);
    return out;
  } catch (e) {
    if (!isDataError(e)) throw e;
    err = e;
  }
  if (hi - lo === 1) {
    out.refused.push({
      index: lo,
      auditId: rows.ids[lo]!,
      code: engineErrorCode(err),
      message: (err as Error).message.slice(0, MAX_MESSAGE),
      line: lineAt(rows, lo),
    });
    return out;
  }
  const mid = lo + Math.floor((hi - lo) / 2);
  await bisect(rows, lo, mid, subToken(token, `${lo}-${mid}`), insert, out);
  await bisect(rows, mid, hi, subToken(token, `${mid}-${hi}`), insert, out);
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

/** A token for part of the batch `token` named: the same part, the same token. */
function subToken(token: string | undefined, part: string): string | undefined {
  if (!token) return token;
  const t = `${token}.${part}`;
  return t.length <= MAX_TOKEN ? t : `iso-${digest(t)}`;
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

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
