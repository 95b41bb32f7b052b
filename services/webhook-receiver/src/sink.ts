import { type DecodeOptions, isEventList } from '@radar/audit-events';
import { type BodyConfig, reduceDeniedBody, stripBodies } from '@radar/field-paths';
import { insertIsolating, type PipelineDeps, processBatch, RecentRequests } from '@radar/ingest';
import type { Producer } from '@radar/kafka';
import { insertRows, type Store } from '@radar/store';

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
      return { events: items.length, stored: 0, rejected: [] };
    },
  };
}

/** All-in-one: validate, tag and insert directly; rejects go to the dead_letters table. */
export function storeSink(
  store: Store,
  cfg: { cluster: string; decode: DecodeOptions },
  deps: PipelineDeps,
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
      // Rows the engine refuses on their own are rejected like bad events; the rest are stored.
      const inserted = await insertIsolating(store, fresh);
      recent.remember(fresh);
      const rejected = [
        ...out.rejected,
        ...inserted.refused.map((r) => ({ reason: 'refused-by-store' as const, detail: r.message })),
      ];
      if (rejected.length > 0) {
        // No body of any event in the POST is kept, only what identifies the events.
        const payload = stripBodies(body, cfg.decode.maxBytes).payload.slice(0, 64 * 1024);
        await insertRows(
          store,
          'dead_letters',
          rejected.map((r) => ({
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
        stored: inserted.stored,
        rejected: rejected.map((r) => ({ reason: r.reason, detail: r.detail })),
      };
    },
  };
}
