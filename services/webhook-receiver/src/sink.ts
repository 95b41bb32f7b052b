import { type DecodeOptions, type DropReason, isEventList, type RejectReason } from '@radar/audit-events';
import { type BodyConfig, reduceDeniedBody } from '@radar/field-paths';
import { insertAuditRows, type PipelineDeps, processBatch, RecentRequests, rowCount } from '@radar/ingest';
import type { Producer } from '@radar/kafka';
import { insertRows, type Store } from '@radar/store';
import {
  DEFAULT_DEAD_LETTER_LIMITS,
  type DeadLetterLimits,
  MinuteBudget,
  planDeadLetters,
} from './dead-letters.js';

/** Rejections listed one by one in an answer; the rest are in rejectedCount and deadLetters. */
export const MAX_LISTED_REJECTIONS = 100;

/** What the all-in-one webhook did with one POST: every event is stored, dropped or rejected. */
export interface StoredAnswer {
  events: number;
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
}

export type Accepted = StoredAnswer | QueuedAnswer;

/** Where POSTed audit events go: Kafka (scaled deployments) or the store (all-in-one). */
export interface EventSink {
  accept(body: Buffer): Promise<Accepted>;
}

/** The body is not an audit document at all (400: retrying it cannot help). */
export class BadBody extends Error {
  override readonly name = 'BadBody';
}

/** The body is too large to take at all (413: the apiserver may retry smaller batches). */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/**
 * Forwards each event of the EventList as its own Kafka message (key: auditID, so all stages of
 * a request share a partition). Validation happens in the ingest worker, which owns the DLQ.
 * Bodies of denied resources (Secrets, the deny list) are reduced to their paths here, so they
 * never reach the topic; with `bodies` unset they are dropped whole.
 */
export function kafkaSink(producer: Producer, topic: string, bodies?: BodyConfig): EventSink {
  return {
    async accept(body) {
      let doc: unknown;
      try {
        doc = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw new BadBody(`body is not JSON: ${(e as Error).message.slice(0, 200)}`);
      }
      const items = isEventList(doc) ? doc.items : [doc];
      for (const item of items) {
        if (bodies) reduceDeniedBody(item, bodies);
        else if (item && typeof item === 'object') {
          delete (item as Record<string, unknown>).requestObject;
          delete (item as Record<string, unknown>).responseObject;
        }
      }
      await producer.send(
        topic,
        items.map((item) => {
          const id = (item as { auditID?: unknown } | null)?.auditID;
          return { key: typeof id === 'string' ? id : null, value: JSON.stringify(item) };
        }),
      );
      return { events: items.length, queued: items.length };
    },
  };
}

export interface StoreSinkConfig {
  cluster: string;
  decode: DecodeOptions;
  deadLetters?: DeadLetterLimits;
}

/** All-in-one: validate, tag and insert directly; rejects go to the dead_letters table. */
export function storeSink(
  store: Store,
  cfg: StoreSinkConfig,
  deps: PipelineDeps,
  opts: { recent?: RecentRequests; now?: () => number } = {},
): EventSink {
  const recent = opts.recent ?? new RecentRequests(100_000);
  const limits = cfg.deadLetters ?? DEFAULT_DEAD_LETTER_LIMITS;
  const budget = new MinuteBudget(limits.perMinute, opts.now);
  return {
    async accept(body) {
      const out = processBatch(
        [{ value: body, partition: 0, offset: 0 }],
        {
          tagger: { cluster: cfg.cluster, source: 'webhook' },
          decode: cfg.decode,
        },
        deps,
      );
      // Refused whole, unread (no item range): it may hold any number of events, so none is
      // answered 2xx; a 413 lets the apiserver retry smaller batches.
      const whole = out.rejected.find((r) => r.reason === 'too-large' && !r.item);
      if (whole) throw new BodyTooLarge(`body refused whole: ${whole.detail}`);
      // The apiserver retries a batch it thinks failed: drop what was just stored.
      const { fresh, duplicates } = recent.filter(out.rows);
      await insertAuditRows(store, fresh);
      recent.remember(fresh);
      const plan = planDeadLetters(body, out.rejected, limits, budget, cfg.decode.maxBytes);
      await insertRows(store, 'dead_letters', plan.rows);
      const dropped = { ...out.dropped };
      if (duplicates > 0) dropped['already-stored'] = (dropped['already-stored'] ?? 0) + duplicates;
      return {
        events: out.events,
        stored: rowCount(fresh),
        dropped,
        rejectedCount: out.rejected.length,
        rejected: out.rejected
          .slice(0, MAX_LISTED_REJECTIONS)
          .map((r) => ({ reason: r.reason, detail: r.detail })),
        deadLetters: {
          written: plan.rows.length,
          overRequestCap: plan.overRequestCap,
          overMinuteCap: plan.overMinuteCap,
        },
      };
    },
  };
}
