import { crc32 } from 'node:zlib';
import type { EncodedRows } from '../encoded.js';

/**
 * One spool record: [u32 length][u32 crc32 of the payload][payload], little endian. The payload
 * is one EncodedRows batch: [u32 rows][f64 appended at, ms][u32 body bytes][u32 meta bytes]
 * [ends: rows x u32][ranks: rows x u8][body][meta: JSON [cluster, ids, ts]]. JSON for the strings
 * because audit IDs are hostile text (any character, a NUL or newline included) and it parses fast.
 */
export const HEADER_BYTES = 8;
const FIXED = 4 + 8 + 4 + 4;

export function encodeRecord(rows: EncodedRows, appendedAt: number): Buffer {
  const n = rows.ends.length;
  const meta = Buffer.from(JSON.stringify([rows.cluster, rows.ids, rows.ts]));
  const payloadBytes = FIXED + n * 5 + rows.body.length + meta.length;
  const out = Buffer.allocUnsafeSlow(HEADER_BYTES + payloadBytes);
  let at = HEADER_BYTES;
  at = out.writeUInt32LE(n, at);
  at = out.writeDoubleLE(appendedAt, at);
  at = out.writeUInt32LE(rows.body.length, at);
  at = out.writeUInt32LE(meta.length, at);
  for (let i = 0; i < n; i++) at = out.writeUInt32LE(rows.ends[i]!, at);
  out.set(rows.ranks.subarray(0, n), at);
  at += n;
  out.set(rows.body, at);
  at += rows.body.length;
  meta.copy(out, at);
  out.writeUInt32LE(payloadBytes, 0);
  out.writeUInt32LE(crc32(out.subarray(HEADER_BYTES)), 4);
  return out;
}

/** What a record's first bytes say, read without its payload (the index at open). */
export interface RecordHead {
  /** Bytes of the whole record, header included. */
  bytes: number;
  rows: number;
  appendedAt: number;
}

/** The head of a record from at least HEADER_BYTES + 12 bytes; undefined if they cannot be one. */
export function readHead(buf: Buffer): RecordHead | undefined {
  if (buf.length < HEADER_BYTES + 12) return undefined;
  const len = buf.readUInt32LE(0);
  if (len < FIXED) return undefined;
  return { bytes: HEADER_BYTES + len, rows: buf.readUInt32LE(8), appendedAt: buf.readDoubleLE(12) };
}

export type Decoded = { ok: true; rows: EncodedRows; appendedAt: number } | { ok: false; problem: string };

/** A whole record back to its rows; a crc or layout mismatch is a corrupt record, never a throw. */
export function decodeRecord(rec: Buffer): Decoded {
  if (rec.length < HEADER_BYTES + FIXED) return { ok: false, problem: 'record shorter than its header' };
  const len = rec.readUInt32LE(0);
  if (len !== rec.length - HEADER_BYTES) return { ok: false, problem: `length ${len} does not match` };
  const payload = rec.subarray(HEADER_BYTES);
  if (crc32(payload) !== rec.readUInt32LE(4)) return { ok: false, problem: 'crc32 mismatch' };
  const n = payload.readUInt32LE(0);
  const appendedAt = payload.readDoubleLE(4);
  const bodyBytes = payload.readUInt32LE(12);
  const metaBytes = payload.readUInt32LE(16);
  if (FIXED + n * 5 + bodyBytes + metaBytes !== payload.length)
    return { ok: false, problem: 'sections do not add up to the length' };
  let at = FIXED;
  const ends = new Uint32Array(n);
  for (let i = 0; i < n; i++, at += 4) ends[i] = payload.readUInt32LE(at);
  const ranks = Uint8Array.from(payload.subarray(at, at + n));
  at += n;
  const body = payload.subarray(at, at + bodyBytes);
  at += bodyBytes;
  let meta: unknown;
  try {
    meta = JSON.parse(payload.toString('utf8', at, at + metaBytes));
  } catch {
    return { ok: false, problem: 'meta is not JSON' };
  }
  if (!Array.isArray(meta) || meta.length !== 3)
    return { ok: false, problem: 'meta is not [cluster, ids, ts]' };
  const [cluster, ids, ts] = meta as [unknown, unknown, unknown];
  if (typeof cluster !== 'string' || !Array.isArray(ids) || !Array.isArray(ts))
    return { ok: false, problem: 'meta is not [cluster, ids, ts]' };
  if (ids.length !== n || ts.length !== n || (n > 0 && ends[n - 1] !== bodyBytes))
    return { ok: false, problem: 'row counts do not match' };
  return {
    ok: true,
    rows: { body, ends, ranks, ids: ids as string[], ts: ts as string[], cluster },
    appendedAt,
  };
}
