import { wellFormed } from '@radar/audit-events';
import { AUDIT_COLUMNS, type AuditRow, rowCells } from '@radar/tagger';

/**
 * Tagged rows, already serialised for the insert: one JSONCompactEachRow line per row in
 * AUDIT_COLUMNS order, plus the few fields the worker still reads per row (identity and stage,
 * for the duplicate checks). Rows are encoded once, where they are tagged; moving, filtering and
 * joining batches only copies bytes. Plain typed arrays and strings, so a batch crosses a
 * worker-thread boundary by transfer instead of being cloned object by object.
 */
export interface EncodedRows {
  /** The lines, each ending in '\n'. */
  body: Uint8Array;
  /**
   * Set by concatRows: the bodies joined, in order, which `body` joins only when read; writers
   * take these as they are (bodyParts).
   */
  readonly parts?: readonly Uint8Array[];
  /** ends[i]: offset just past row i's newline. */
  ends: Uint32Array;
  /** audit_id and `ts` (ISO 8601) of each row: the identity of a request. */
  ids: string[];
  ts: string[];
  /** stage_rank of each row (ReplacingMergeTree version). */
  ranks: Uint8Array;
  /** Every row of a batch comes from one source, so one cluster. */
  cluster: string;
}

export const rowCount = (rows: EncodedRows): number => rows.ends.length;

/** Identity of a request across batches: its audit ID and receive time. */
export const requestKeyAt = (rows: EncodedRows, i: number): string => `${rows.ids[i]}\u0000${rows.ts[i]}`;

export function emptyRows(cluster: string): EncodedRows {
  return {
    body: new Uint8Array(0),
    ends: new Uint32Array(0),
    ids: [],
    ts: [],
    ranks: new Uint8Array(0),
    cluster,
  };
}

/**
 * Accumulates encoded lines straight into bytes (off the JS heap, so a batch's lines are not
 * carried through garbage collections); `finish` picks which of them make the batch.
 */
export class RowEncoder {
  private buf: Buffer;
  private size = 0;
  private readonly ends: number[] = [];
  readonly ids: string[] = [];
  readonly ts: string[] = [];
  readonly ranks: number[] = [];
  /** requestReceivedTimestamp of each row's event as sent (undefined on v1beta1), for stage merging. */
  readonly received: (string | undefined)[] = [];

  /** sizeHint: expected bytes of all lines (the input's size is a good upper bound). */
  constructor(
    readonly cluster: string,
    sizeHint = 64 * 1024,
  ) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(1024, sizeHint));
  }

  add(row: AuditRow, received?: string): number {
    let line = JSON.stringify(rowCells(row));
    // JSON.stringify writes a lone surrogate as a `\udxxx` escape, which the engine refuses
    // (failing the whole insert). One scan of the line, rarely true, instead of one per cell.
    if (line.includes('\\ud')) line = JSON.stringify(rowCells(wellFormedRow(row)));
    // UTF-8 takes at most 3 bytes per UTF-16 unit, plus the newline.
    const room = line.length * 3 + 1;
    if (this.size + room > this.buf.length) {
      // x1.5, not x2: a batch a little over its hint still fills 3/4 of the buffer (see finish).
      const bigger = Buffer.allocUnsafeSlow(Math.max(Math.ceil(this.buf.length * 1.5), this.size + room));
      this.buf.copy(bigger, 0, 0, this.size);
      this.buf = bigger;
    }
    this.size += this.buf.write(line, this.size);
    this.buf[this.size++] = 0x0a;
    this.ends.push(this.size);
    this.ids.push(row.audit_id);
    this.ts.push(row.ts);
    this.ranks.push(row.stage_rank);
    this.received.push(received);
    return this.ends.length - 1;
  }

  /** The batch of the rows at `keep` (all rows in order when omitted), in its own exact-size memory. */
  finish(keep?: readonly number[]): EncodedRows {
    const n = this.ends.length;
    const all: EncodedRows = {
      body: this.buf.subarray(0, this.size),
      ends: Uint32Array.from(this.ends),
      ids: this.ids,
      ts: this.ts,
      ranks: Uint8Array.from(this.ranks),
      cluster: this.cluster,
    };
    const inOrder = keep === undefined || (keep.length === n && keep.every((v, i) => v === i));
    if (!inOrder) return pickRows(all, keep);
    // The lines are handed over in place when at most a quarter of the memory is unused (a copy
    // of every batch saved; the whole buffer crosses a thread by transfer), else copied to
    // exact-size memory. Either way the encoder is done: its buffer now belongs to the batch.
    let body: Buffer;
    if (this.size >= this.buf.length * 0.75) body = this.buf.subarray(0, this.size);
    else {
      body = Buffer.allocUnsafeSlow(this.size);
      this.buf.copy(body, 0, 0, this.size);
    }
    this.buf = Buffer.alloc(0);
    this.size = 0;
    return { ...all, body, ids: [...this.ids], ts: [...this.ts] };
  }
}

/** The row with every string cell well-formed UTF-16 (lone surrogates -> U+FFFD), in place. */
function wellFormedRow(row: AuditRow): AuditRow {
  const r = row as unknown as Record<string, unknown>;
  for (const c of AUDIT_COLUMNS) {
    const v = r[c];
    if (typeof v === 'string') r[c] = wellFormed(v);
    else if (Array.isArray(v)) r[c] = v.map((x: unknown) => (typeof x === 'string' ? wellFormed(x) : x));
  }
  return row;
}

export function encodeRows(rows: readonly AuditRow[], cluster = rows[0]?.cluster ?? ''): EncodedRows {
  const enc = new RowEncoder(cluster);
  for (const r of rows) enc.add(r);
  return enc.finish();
}

/** The rows at the given indices (ascending or not), bytes copied once. */
export function pickRows(rows: EncodedRows, keep: readonly number[]): EncodedRows {
  if (keep.length === rowCount(rows) && keep.every((v, i) => v === i)) return rows;
  let size = 0;
  for (const i of keep) size += rows.ends[i]! - (i === 0 ? 0 : rows.ends[i - 1]!);
  // Never the small-buffer pool: a batch's memory may be transferred to another thread.
  const body = Buffer.allocUnsafeSlow(size);
  const ends = new Uint32Array(keep.length);
  const ranks = new Uint8Array(keep.length);
  const ids = new Array<string>(keep.length);
  const ts = new Array<string>(keep.length);
  let at = 0;
  keep.forEach((i, k) => {
    const start = i === 0 ? 0 : rows.ends[i - 1]!;
    body.set(rows.body.subarray(start, rows.ends[i]!), at);
    at += rows.ends[i]! - start;
    ends[k] = at;
    ranks[k] = rows.ranks[i]!;
    ids[k] = rows.ids[i]!;
    ts[k] = rows.ts[i]!;
  });
  return { body, ends, ids, ts, ranks, cluster: rows.cluster };
}

/** Indices of the rows for which `test` holds. */
export function rowsWhere(rows: EncodedRows, test: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < rowCount(rows); i++) if (test(i)) out.push(i);
  return out;
}

/**
 * One batch of several (same cluster), in order. The bodies are not joined here: `parts` keeps
 * them and `body` joins them on first use, so an insert writes the parts as they are (one copy
 * of every row saved on the way to the engine) and only rarer paths (isolating a refused row,
 * the spool) pay for the join.
 */
export function concatRows(list: readonly EncodedRows[]): EncodedRows {
  if (list.length === 1) return list[0]!;
  const parts = list.flatMap(bodyParts);
  let n = 0;
  for (const r of list) n += rowCount(r);
  const ends = new Uint32Array(n);
  const ranks = new Uint8Array(n);
  const ids = new Array<string>(n);
  const ts = new Array<string>(n);
  let k = 0;
  let base = 0;
  for (const r of list) {
    for (let i = 0; i < rowCount(r); i++, k++) {
      ends[k] = base + r.ends[i]!;
      ranks[k] = r.ranks[i]!;
      ids[k] = r.ids[i]!;
      ts[k] = r.ts[i]!;
    }
    base += r.ends.length === 0 ? 0 : r.ends[r.ends.length - 1]!;
  }
  let joined: Uint8Array | undefined;
  const rows: EncodedRows = {
    // No setter: assigning a body to joined rows would leave `parts` stale, so it throws.
    get body() {
      joined ??= joinBytes(parts, base);
      return joined;
    },
    ends,
    ranks,
    ids,
    ts,
    cluster: list[0]?.cluster ?? '',
  };
  // Not enumerable: a copy made by spreading (`{ ...rows, body }`) or cloned to another thread
  // carries the joined body, never parts that might not match it.
  Object.defineProperty(rows, 'parts', { value: parts, enumerable: false });
  return rows;
}

/** The bytes of rows as written: their parts when joined lazily, else the body. */
export function bodyParts(rows: EncodedRows): readonly Uint8Array[] {
  return rows.parts ?? [rows.body];
}

function joinBytes(parts: readonly Uint8Array[], size: number): Uint8Array {
  // Never the small-buffer pool: a batch's memory may be transferred to another thread.
  const body = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return body;
}

/** Back to row objects: for the rare paths (rollup feed) and for tests. */
export function decodeRows(rows: EncodedRows): AuditRow[] {
  const text = Buffer.from(rows.body.buffer, rows.body.byteOffset, rows.body.byteLength).toString('utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  return lines.map((line) => {
    const cells = JSON.parse(line) as unknown[];
    const row: Record<string, unknown> = {};
    AUDIT_COLUMNS.forEach((c, i) => {
      row[c] = cells[i];
    });
    return row as unknown as AuditRow;
  });
}
