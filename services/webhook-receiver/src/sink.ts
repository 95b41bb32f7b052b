import { type DecodeOptions, isEventList } from '@radar/audit-events';
import { insertAuditRows, processBatch, RecentRequests } from '@radar/ingest';
import type { Producer } from '@radar/kafka';
import { insertRows, type Store } from '@radar/store';
import type { TaggerDeps } from '@radar/tagger';

/** What the webhook did with one POSTed body. */
export interface Accepted {
  events: number;
  stored: number;
  rejected: { reason: string; detail: string }[];
}

/** Where POSTed audit events go: Kafka (scaled deployments) or the store (all-in-one). */
export interface EventSink {
  accept(body: Buffer): Promise<Accepted>;
}

export class BadBody extends Error {
  override readonly name = 'BadBody';
}

/**
 * Forwards each event of the EventList as its own Kafka message (key: auditID, so all stages of
 * a request share a partition). Validation happens in the ingest worker, which owns the DLQ.
 */
export function kafkaSink(producer: Producer, topic: string): EventSink {
  return {
    async accept(body) {
      let doc: unknown;
      try {
        doc = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw new BadBody(`body is not JSON: ${(e as Error).message.slice(0, 200)}`);
      }
      const items = isEventList(doc) ? doc.items : [doc];
      await producer.send(
        topic,
        items.map((item) => {
          const id = (item as { auditID?: unknown } | null)?.auditID;
          return { key: typeof id === 'string' ? id : null, value: JSON.stringify(item) };
        }),
      );
      return { events: items.length, stored: 0, rejected: [] };
    },
  };
}

/** All-in-one: validate, tag and insert directly; rejects go to the dead_letters table. */
export function storeSink(
  store: Store,
  cfg: { cluster: string; decode: DecodeOptions },
  deps: TaggerDeps,
  recent = new RecentRequests(100_000),
): EventSink {
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
      // The apiserver retries a batch it thinks failed: drop what was just stored.
      const { fresh } = recent.filter(out.rows);
      await insertAuditRows(store, fresh);
      recent.remember(fresh);
      if (out.rejected.length > 0) {
        const payload = body.subarray(0, 64 * 1024).toString('utf8');
        await insertRows(
          store,
          'dead_letters',
          out.rejected.map((r) => ({
            source: 'webhook',
            reason: r.reason,
            detail: r.detail,
            location: '',
            payload,
          })),
        );
      }
      return {
        events: out.events,
        stored: fresh.length,
        rejected: out.rejected.map((r) => ({ reason: r.reason, detail: r.detail })),
      };
    },
  };
}
