import type { DecodeOptions, DropReason, RejectReason } from '@radar/audit-events';
import {
  type AppendResult,
  type BatchOutcome,
  type EncodedRows,
  type PipelineDeps,
  processBatch,
  RecentRequests,
  type RefusedRow,
  rowCount,
  withoutStored,
} from '@radar/ingest';
import { insertRows, type Store } from '@radar/store';
import type { ApiserverIdentity } from '@radar/tagger';
import {
  DEFAULT_DEAD_LETTER_LIMITS,
  type DeadLetterLimits,
  MinuteBudget,
  planDeadLetters,
} from './dead-letters.js';
import { InsertGroups } from './insert-group.js';

/** Rejections listed one by one in an answer; the rest are in rejectedCount and deadLetters. */
export const MAX_LISTED_REJECTIONS = 100;

/** What the all-in-one webhook did with one POST: every event is stored, dropped or rejected. */
export interface StoredAnswer {
  events: number;
  /**
   * Rows stored. With the spool (radar serve's default) they are durable on local disk and
   * inserted shortly after the answer; a row the engine refuses then goes to dead_letters
   * (`refused-by-store`) but can no longer be in this answer. Without it, inserted.
   */
  stored: number;
  /** Counted, not stored: earlier stages of a stored request, requests already stored (a retry). */
  dropped: Partial<Record<DropReason, number>>;
  rejectedCount: number;
  /** The first MAX_LISTED_REJECTIONS rejections. */
  rejected: { reason: RejectReason; detail: string }[];
  deadLetters: {
    written: number;
    /** Rejections over the per-request or per-minute cap: counted here and in metrics only. */
    overRequestCap: Partial<Record<RejectReason, number>>;
    overMinuteCap: Partial<Record<RejectReason, number>>;
  };
}

/** What `radar webhook` did: events are queued on Kafka; the worker validates and stores them. */
export interface QueuedAnswer {
  events: number;
  queued: number;
  /** Events too large for a Kafka message even without their body: sent to the DLQ topic. */
  rejectedCount: number;
  rejected: { reason: RejectReason; detail: string }[];
}

export type Accepted = StoredAnswer | QueuedAnswer;

/** What the request says about its source beyond the body: the apiserver that sent it. */
export interface SourceMeta {
  apiserver?: ApiserverIdentity | undefined;
}

/** Where POSTed audit events go: Kafka (scaled deployments) or the store (all-in-one). */
export interface EventSink {
  accept(body: Buffer, meta?: SourceMeta): Promise<Accepted>;
}

/** The body is not an audit document at all (400: retrying it cannot help). */
export class BadBody extends Error {
  override readonly name = 'BadBody';
}

/** The body is too large to take at all (413: the apiserver may retry smaller batches). */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/** The spool has no room: nothing of the POST is kept (503 with Retry-After; the apiserver retries). */
export class SpoolFull extends Error {
  override readonly name = 'SpoolFull';
}

/** Where spool mode appends rows (Spool from @radar/ingest). */
export interface RowLog {
  append(rows: EncodedRows): Promise<AppendResult>;
}

export interface StoreSinkConfig {
  cluster: string;
  decode: DecodeOptions;
  deadLetters?: DeadLetterLimits;
  /** Group commit's longest wait for POSTs in flight to join an insert (InsertGroups); 0: none. */
  insertLingerMs?: number;
}

/** All-in-one: validate, tag and insert directly; rejects go to the dead_letters table. */
export function storeSink(
  store: Store,
  cfg: StoreSinkConfig,
  deps: PipelineDeps,
  opts: {
    recent?: RecentRequests;
    now?: () => number;
    /**
     * Decodes a body elsewhere (radar serve: a decode thread, so the event loop only reads bodies
     * and answers), returning what processBatch would. Default: processBatch on this thread.
     */
    decode?: (body: Buffer, apiserver: ApiserverIdentity | undefined) => Promise<BatchOutcome>;
    /** Told the POSTs and rows of every insert (metrics). */
    observeInsert?: (posts: number, rows: number) => void;
    /**
     * Spool mode: fresh rows are appended to this log (durable) and the answer comes then; the
     * drainer inserts them. Unset: inserted before the answer (group commit).
     */
    spool?: RowLog;
    /**
     * Check POSTs against stored requests until one holds only new ones (after a restart the
     * memory of recent requests is empty, and the apiserver retries what it saw unanswered).
     */
    checkStoredFirst?: boolean;
  } = {},
): EventSink {
  const recent = opts.recent ?? new RecentRequests(100_000);
  const limits = cfg.deadLetters ?? DEFAULT_DEAD_LETTER_LIMITS;
  const budget = new MinuteBudget(limits.perMinute, opts.now);
  const groups = new InsertGroups(store, {
    lingerMs: cfg.insertLingerMs ?? 0,
    ...(opts.observeInsert ? { observe: opts.observeInsert } : {}),
  });
  let checkStored = opts.checkStoredFirst ?? false;
  const dropStored = async (rows: EncodedRows) => {
    const mem = recent.filter(rows);
    if (!checkStored) return mem;
    const db = await withoutStored(store, mem.fresh);
    // A POST of only new requests: the apiserver's retries (sent first) are over.
    if (rowCount(mem.fresh) > 0 && db.alreadyStored === 0) checkStored = false;
    return { fresh: db.fresh, duplicates: mem.duplicates + db.alreadyStored };
  };
  const spool = opts.spool;
  const keep = async (rows: EncodedRows) => {
    if (!spool) return groups.insert(rows);
    if (rowCount(rows) === 0) return { stored: 0, refused: [] };
    const r = await spool.append(rows);
    if (!r.ok) throw new SpoolFull(`spool full (${r.bytes} of ${r.maxBytes} bytes): retry later`);
    return { stored: rowCount(rows), refused: [] };
  };
  return {
    async accept(body, meta) {
      const apiserver = meta?.apiserver;
      const out = opts.decode
        ? await opts.decode(body, apiserver)
        : processBatch(
            [{ value: body, partition: 0, offset: 0 }],
            { tagger: { cluster: cfg.cluster, source: 'webhook', apiserver }, decode: cfg.decode },
            deps,
          );
      // Refused whole, unread (no item range): it may hold any number of events, so none is
      // answered 2xx; a 413 lets the apiserver retry smaller batches.
      const whole = out.rejected.find((r) => r.reason === 'too-large' && !r.item);
      if (whole) throw new BodyTooLarge(`body refused whole: ${whole.detail}`);
      // The apiserver retries a batch it thinks failed: drop what was just stored.
      const { fresh, duplicates } = await dropStored(out.rows);
      // Rows the engine refuses on their own (a data error) are dead letters; the rest are stored.
      const inserted = await keep(fresh);
      recent.remember(fresh);
      const plan = planDeadLetters(body, out.rejected, limits, budget, cfg.decode.maxBytes);
      const refused = refusedLetters(inserted.refused);
      await insertRows(store, 'dead_letters', [...plan.rows, ...refused]);
      const rejected = [...out.rejected, ...refused];
      const dropped = { ...out.dropped };
      if (duplicates > 0) dropped['already-stored'] = (dropped['already-stored'] ?? 0) + duplicates;
      return {
        events: out.events,
        stored: inserted.stored,
        dropped,
        rejectedCount: rejected.length,
        rejected: rejected
          .slice(0, MAX_LISTED_REJECTIONS)
          .map((r) => ({ reason: r.reason, detail: r.detail })),
        deadLetters: {
          written: plan.rows.length + refused.length,
          overRequestCap: plan.overRequestCap,
          overMinuteCap: plan.overMinuteCap,
        },
      };
    },
  };
}

/** dead_letters rows of rows the engine refused (the sink's and the spool drainer's). */
export function refusedLetters(refused: readonly RefusedRow[]) {
  return refused.map((r) => ({
    source: 'webhook',
    reason: 'refused-by-store' as const,
    detail: r.message,
    location: `audit ${r.auditId}`,
    // The encoded row: bodies are already paths, never values.
    payload: r.line,
  }));
}
