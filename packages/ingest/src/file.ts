import type { Readable } from 'node:stream';
import { type DecodeOptions, InputError, type RejectReason, readAuditRecords } from '@radar/audit-events';
import type { Store } from '@radar/store';
import type { ApiserverIdentity } from '@radar/tagger';
import { ChunkBuilder, messagesOf, type PackedLines } from './chunk.js';
import {
  concatRows,
  type EncodedRows,
  emptyRows,
  pickRows,
  requestKeyAt,
  rowCount,
  rowsWhere,
} from './encoded.js';
import { insertIsolating } from './isolate.js';
import { type BatchOutcome, type PipelineDeps, processBatch } from './pipeline.js';
import { refeedRollup } from './sink.js';
import { withoutStored } from './stored.js';

export interface FileIngestConfig {
  cluster: string;
  source: string;
  decode: DecodeOptions;
  /** Lines per insert; bigger is faster, bounded memory either way. */
  chunkLines: number;
  /**
   * Bytes of lines per insert (default DEFAULT_CHUNK_BYTES): a chunk ends at whichever of the two
   * comes first, so memory stays bounded by bytes even when every line is a large event.
   */
  chunkBytes?: number;
  /** The apiserver that wrote this log (its audit log backend), stored on every request. */
  apiserver?: ApiserverIdentity | undefined;
  /**
   * Rows per insert (default: chunkLines, one insert per chunk). Larger groups decoded chunks
   * up to it: the engine writes and merges fewer, larger parts (50,000: -10-25% CPU) but holds a
   * larger insert (+35-50 MB peak RSS at 1.2M events; docs/performance.md, sixth pass).
   */
  insertRows?: number;
}

export interface FileIngestSummary {
  source: string;
  eventsRead: number;
  requestsStored: number;
  duplicates: number;
  rejected: Partial<Record<RejectReason, number>>;
  /** The first rejected events, with file:line, so a user can find them. */
  rejectedSamples: { where: string; reason: RejectReason; detail: string }[];
  error?: string;
}

export interface Progress {
  bytes: number;
  events: number;
  stored: number;
}

const MAX_SAMPLES = 20;
/** Chunks decoded or stored while the next is read: ~3 chunks of memory, enough to keep both cores busy. */
const AHEAD = 2;
/** 16 MiB: ~13,000 lines of a typical 1.26 KB event, so chunkLines decides for ordinary logs. */
export const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;

export interface FileIngestDeps extends PipelineDeps {
  /**
   * Decodes a chunk elsewhere (the worker's decode threads), returning what processBatch would
   * of messagesOf(lines); rejected events come back as line indexes. The chunk's buffers are the
   * callee's (a thread may take them by transfer); `recycle` takes the bytes' buffer back once
   * nothing reads it. Default: processBatch here.
   */
  decodeChunk?: (lines: PackedLines, recycle: (bytes: ArrayBuffer) => void) => Promise<BatchOutcome>;
}

/**
 * Ingests one audit log (JSONL, EventList JSON, gzip or not) into the store. Requests seen only
 * at an early stage wait one chunk for their later stage, and requests already stored (the same
 * file ingested twice) are skipped, so each request is stored once. If the input breaks midway
 * (truncated gzip), everything read before is stored and the summary carries the error.
 */
export async function ingestStream(
  store: Store,
  input: Readable,
  cfg: FileIngestConfig,
  deps: FileIngestDeps,
  onProgress?: (p: Progress) => void,
): Promise<FileIngestSummary> {
  const summary: FileIngestSummary = {
    source: cfg.source,
    eventsRead: 0,
    requestsStored: 0,
    duplicates: 0,
    rejected: {},
    rejectedSamples: [],
  };
  const pipeline = {
    tagger: { cluster: cfg.cluster, source: `file:${cfg.source}`, apiserver: cfg.apiserver },
    decode: cfg.decode,
  };
  let bytes = 0;
  let pending: EncodedRows = emptyRows(cfg.cluster);
  const chunk = new ChunkBuilder();
  const chunkBytes = cfg.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let wheres: string[] = [];
  let chunkNo = 0;
  const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  const reject = (where: string, reason: RejectReason, detail: string) => {
    summary.rejected[reason] = (summary.rejected[reason] ?? 0) + 1;
    if (summary.rejectedSamples.length < MAX_SAMPLES) summary.rejectedSamples.push({ where, reason, detail });
  };

  /** Checks and stores a group of chunks' rows, in order (a later group's check sees earlier inserts). */
  const storeChunk = async (ready: EncodedRows, chunkId: string) => {
    const { fresh, stored, alreadyStored } = await withoutStored(store, ready);
    summary.duplicates += alreadyStored;
    // Stored before, perhaps by a run that died before the rollup view ran: count them there.
    await refeedRollup(store, stored);
    // Rows the engine refuses on their own are rejected, the rest stored (never a whole chunk lost).
    const inserted = await insertIsolating(store, fresh, chunkId);
    summary.requestsStored += inserted.stored;
    for (const r of inserted.refused) {
      summary.rejected['refused-by-store'] = (summary.rejected['refused-by-store'] ?? 0) + 1;
      if (summary.rejectedSamples.length < MAX_SAMPLES) {
        summary.rejectedSamples.push({
          where: `auditID ${r.auditId}`,
          reason: 'refused-by-store',
          detail: r.message,
        });
      }
    }
    onProgress?.({ bytes, events: summary.eventsRead, stored: summary.requestsStored });
  };
  const decodeChunk =
    deps.decodeChunk ?? (async (lines: PackedLines) => processBatch(messagesOf(lines), pipeline, deps));
  // Chunks move through decode (a decode thread when given) -> stage merge -> grouping up to
  // insertRows -> check and insert (the engine's threads) while the next chunks are read. Merges
  // and stores run in chunk order, so pending early stages meet their later stage and a group's
  // check sees earlier inserts; requests met twice within a group keep their latest stage. At
  // most AHEAD chunks are in flight besides the one being read, and one group: memory stays
  // bounded.
  let held: EncodedRows[] = [];
  let heldRows = 0;
  const insertRows = cfg.insertRows ?? cfg.chunkLines;
  let merging: Promise<unknown> = Promise.resolve();
  let storing: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];

  const prepare = (out: BatchOutcome, where: readonly string[], final: boolean): EncodedRows => {
    summary.eventsRead += out.events;
    summary.duplicates += out.dropped['stage-superseded'] ?? 0;
    for (const r of out.rejected) reject(where[r.index]!, r.reason, r.detail);
    const merged = mergeStages(pending, out.rows);
    summary.duplicates += merged.superseded;
    // Early-stage requests wait for the next chunk, where their later stage usually is.
    const rows = merged.rows;
    if (final) {
      pending = emptyRows(cfg.cluster);
      return rows;
    }
    const early = rowsWhere(rows, (i) => rows.ranks[i]! < 2);
    if (early.length === 0) {
      pending = emptyRows(cfg.cluster);
      return rows;
    }
    pending = pickRows(rows, early);
    return pickRows(
      rows,
      rowsWhere(rows, (i) => rows.ranks[i]! >= 2),
    );
  };

  const flush = async (final: boolean) => {
    const where = wheres;
    const decoded = decodeChunk(chunk.take(), (b) => chunk.recycle(b));
    decoded.catch(() => undefined);
    wheres = [];
    const ready = merging.then(async () => prepare(await decoded, where, final));
    merging = ready;
    const chunkId = `file-${runId}-${chunkNo++}`;
    storing = storing.then(async () => {
      const rows = await ready;
      held.push(rows);
      heldRows += rowCount(rows);
      if (!final && heldRows < insertRows) return;
      // One chunk needs no merge: its decoder kept one row per request.
      const group = held.length === 1 ? { rows: held[0]!, superseded: 0 } : bestPerRequest(concatRows(held));
      held = [];
      heldRows = 0;
      summary.duplicates += group.superseded;
      // Chunks are decoded ahead while a group is stored, but no group fills while another is
      // stored: one group in memory (filling the next meanwhile: faster, +40-60 MB at the peak).
      await storeChunk(group.rows, chunkId);
    });
    // Handled here so a failure waits for the next await instead of crashing the process.
    storing.catch(() => undefined);
    ready.catch(() => undefined);
    inFlight.push(storing);
    if (inFlight.length > AHEAD) await inFlight.shift();
  };

  try {
    const onBytes = (b: number) => {
      bytes = b;
      // Also between flushes: a long line or a slow document still shows its bytes moving.
      onProgress?.({ bytes, events: summary.eventsRead, stored: summary.requestsStored });
    };
    const read = { onBytes, maxEventBytes: cfg.decode.maxBytes };
    for await (const rec of readAuditRecords(cfg.source, input, read)) {
      if (!rec.data) {
        // Refused while reading (too large to read, a broken list): counted, never decoded.
        const r = rec.rejected ?? { reason: 'too-large', detail: 'not read' };
        summary.eventsRead++;
        reject(rec.where, r.reason, r.detail);
        continue;
      }
      chunk.push(rec.data);
      wheres.push(rec.where);
      if (chunk.lines >= cfg.chunkLines || chunk.size >= chunkBytes) await flush(false);
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    summary.error = e.message;
  }
  await flush(true);
  await storing;
  const rejected = Object.values(summary.rejected).reduce((a, b) => a + (b ?? 0), 0);
  if (!summary.error && summary.eventsRead > 0 && rejected === summary.eventsRead) {
    const first = summary.rejectedSamples[0];
    summary.error = `${cfg.source}: no audit event could be read, all ${rejected} rejected (first: ${first?.where} ${first?.reason}: ${first?.detail})`;
  }
  return summary;
}

/** Keeps the most complete stage per request across two row sets. */
function mergeStages(a: EncodedRows, b: EncodedRows): { rows: EncodedRows; superseded: number } {
  if (rowCount(a) === 0) return { rows: b, superseded: 0 };
  return bestPerRequest(concatRows([a, b]));
}

function bestPerRequest(all: EncodedRows): { rows: EncodedRows; superseded: number } {
  const best = new Map<string, number>();
  for (let i = 0; i < rowCount(all); i++) {
    const key = requestKeyAt(all, i);
    const prev = best.get(key);
    if (prev === undefined || all.ranks[i]! > all.ranks[prev]!) best.set(key, i);
  }
  if (best.size === rowCount(all)) return { rows: all, superseded: 0 };
  return { rows: pickRows(all, [...best.values()]), superseded: rowCount(all) - best.size };
}
