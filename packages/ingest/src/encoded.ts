import { AUDIT_COLUMNS, type AuditRow } from '@radar/tagger';

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
  /** ends[i]: offset just past row i's newline. */
  ends: Uint32Array;
  /**
   * audit_id and `ts` (ISO 8601) of each row: the identity of a request. Empty when left out
   * to cross a thread cheaply; withIdentities() reads them back from the lines.
   */
  ids: string[];
  ts: string[];
  /** stage_rank of each row (ReplacingMergeTree version). */
  ranks: Uint8Array;
  /** Every row of a batch comes from one source, so one cluster. */
  cluster: string;
}

export const rowCount = (rows: EncodedRows): number => rows.ends.length;

const hasIdentities = (rows: EncodedRows): boolean => rows.ids.length === rows.ends.length;

/** The rows with ids and ts filled in (read from the lines if they were left out). */
export function withIdentities(rows: EncodedRows): EncodedRows {
  if (hasIdentities(rows)) return rows;
  const ids = new Array<string>(rowCount(rows));
  const ts = new Array<string>(rowCount(rows));
  decodeCells(rows).forEach((cells, i) => {
    ids[i] = cells[0] as string;
    ts[i] = cells[1] as string;
  });
  return { ...rows, ids, ts };
}

/** The same rows without ids and ts, to send to another thread (the event loop rarely needs them). */
export const withoutIdentities = (rows: EncodedRows): EncodedRows => ({ ...rows, ids: [], ts: [] });

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

/** Accumulates encoded lines; `finish` picks which of them make the batch. */
export class RowEncoder {
  readonly lines: string[] = [];
  readonly ids: string[] = [];
  readonly ts: string[] = [];
  readonly ranks: number[] = [];
  private readonly cells: unknown[] = new Array(AUDIT_COLUMNS.length);

  constructor(readonly cluster: string) {}

  add(row: AuditRow): number {
    const cells = this.cells;
    for (let c = 0; c < AUDIT_COLUMNS.length; c++) cells[c] = row[AUDIT_COLUMNS[c]!];
    this.lines.push(`${JSON.stringify(cells)}\n`);
    this.ids.push(row.audit_id);
    this.ts.push(row.ts);
    this.ranks.push(row.stage_rank);
    return this.lines.length - 1;
  }

  /** The batch of the rows at `keep` (all rows when omitted), in that order. */
  finish(keep?: readonly number[]): EncodedRows {
    const idx = keep ?? this.lines.map((_, i) => i);
    const n = idx.length;
    const ends = new Uint32Array(n);
    const ids = new Array<string>(n);
    const ts = new Array<string>(n);
    const ranks = new Uint8Array(n);
    let size = 0;
    for (let k = 0; k < n; k++) {
      const i = idx[k]!;
      size += Buffer.byteLength(this.lines[i]!);
      ends[k] = size;
      ids[k] = this.ids[i]!;
      ts[k] = this.ts[i]!;
      ranks[k] = this.ranks[i]!;
    }
    // Its own memory (not the small-buffer pool): a decode thread transfers it.
    const body = Buffer.allocUnsafeSlow(size);
    for (let k = 0; k < n; k++) body.write(this.lines[idx[k]!]!, k === 0 ? 0 : ends[k - 1]!);
    return { body, ends, ids, ts, ranks, cluster: this.cluster };
  }
}

export function encodeRows(rows: readonly AuditRow[], cluster = rows[0]?.cluster ?? ''): EncodedRows {
  const enc = new RowEncoder(cluster);
  for (const r of rows) enc.add(r);
  return enc.finish();
}

/** The rows at the given indices (ascending or not), bytes copied once. */
export function pickRows(rows: EncodedRows, keep: readonly number[]): EncodedRows {
  if (keep.length === rowCount(rows)) return rows;
  let size = 0;
  for (const i of keep) size += rows.ends[i]! - (i === 0 ? 0 : rows.ends[i - 1]!);
  const body = Buffer.allocUnsafe(size);
  const ends = new Uint32Array(keep.length);
  const ranks = new Uint8Array(keep.length);
  const known = hasIdentities(rows);
  const ids = known ? new Array<string>(keep.length) : [];
  const ts = known ? new Array<string>(keep.length) : [];
  let at = 0;
  keep.forEach((i, k) => {
    const start = i === 0 ? 0 : rows.ends[i - 1]!;
    body.set(rows.body.subarray(start, rows.ends[i]!), at);
    at += rows.ends[i]! - start;
    ends[k] = at;
    ranks[k] = rows.ranks[i]!;
    if (known) {
      ids[k] = rows.ids[i]!;
      ts[k] = rows.ts[i]!;
    }
  });
  return { body, ends, ids, ts, ranks, cluster: rows.cluster };
}

/** Indices of the rows for which `test` holds. */
export function rowsWhere(rows: EncodedRows, test: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < rowCount(rows); i++) if (test(i)) out.push(i);
  return out;
}

/** One batch of several (same cluster), in order. */
export function concatRows(list: readonly EncodedRows[]): EncodedRows {
  if (list.length === 1) return list[0]!;
  const body = Buffer.concat(list.map((r) => r.body));
  const ends = new Uint32Array(list.reduce((s, r) => s + rowCount(r), 0));
  const ranks = new Uint8Array(ends.length);
  let k = 0;
  let base = 0;
  for (const r of list) {
    for (let i = 0; i < rowCount(r); i++, k++) {
      ends[k] = base + r.ends[i]!;
      ranks[k] = r.ranks[i]!;
    }
    base += r.body.length;
  }
  const known = list.every(hasIdentities);
  return {
    body,
    ends,
    ranks,
    ids: known ? list.flatMap((r) => r.ids) : [],
    ts: known ? list.flatMap((r) => r.ts) : [],
    cluster: list[0]?.cluster ?? '',
  };
}

function decodeCells(rows: EncodedRows): unknown[][] {
  const text = Buffer.from(rows.body.buffer, rows.body.byteOffset, rows.body.byteLength).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown[]);
}

/** Back to row objects: for the rare paths (rollup feed) and for tests. */
export function decodeRows(rows: EncodedRows): AuditRow[] {
  return decodeCells(rows).map((cells) => {
    const row: Record<string, unknown> = {};
    AUDIT_COLUMNS.forEach((c, i) => {
      row[c] = cells[i];
    });
    return row as unknown as AuditRow;
  });
}
