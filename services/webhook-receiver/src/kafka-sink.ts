import { isEventList } from '@radar/audit-events';
import {
  type BodyConfig,
  carriedBody,
  reduceDeniedBody,
  stripBodies,
  takeRequestPaths,
} from '@radar/field-paths';
import type { ProducedRecord, Producer } from '@radar/kafka';
import { cutUtf8 } from './dead-letters.js';
import { BadBody, type EventSink, MAX_LISTED_REJECTIONS, type QueuedAnswer } from './sink.js';

export interface KafkaSinkConfig {
  topic: string;
  /** Where events too large for a Kafka message go, bodies removed (the worker's DLQ topic). */
  dlqTopic: string;
  /** The broker's message.max.bytes: no record, and no batch sent at once, is larger. */
  maxMessageBytes: number;
  /** Value bytes kept per DLQ record. */
  deadLetterMaxBytes: number;
}

/** Per-record overhead of a Kafka record batch, counted generously. */
const RECORD_OVERHEAD = 128;

/**
 * Forwards each event of the EventList as its own Kafka message (key: auditID, so all stages of
 * a request share a partition). Validation happens in the ingest worker, which owns the DLQ.
 * Bodies of denied resources (Secrets, the deny list) are reduced to their paths here, so they
 * never reach the topic; with `bodies` unset they are dropped whole. An event too large for a
 * Kafka message has its body reduced to paths here too (nothing of it is lost for ranking); if
 * it is still too large it goes to the DLQ topic as too-large. Records are sent in batches under
 * the broker's limit, so one large POST is not refused whole (and retried forever).
 */
export function kafkaSink(producer: Producer, cfg: KafkaSinkConfig, bodies?: BodyConfig): EventSink {
  return {
    async accept(body, meta) {
      // The worker stores them per record (ingest-worker/src/steps/apiserver-headers.ts).
      const origin = meta?.apiserver
        ? { 'radar-apiserver': meta.apiserver.name, 'radar-apiserver-version': meta.apiserver.version }
        : undefined;
      const originBytes = origin ? Buffer.byteLength(Object.entries(origin).flat().join('')) : 0;
      let doc: unknown;
      try {
        doc = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw new BadBody(`body is not JSON: ${(e as Error).message.slice(0, 200)}`);
      }
      const items = isEventList(doc) ? doc.items : [doc];
      const queued: ProducedRecord[] = [];
      const dead: ProducedRecord[] = [];
      const rejected: QueuedAnswer['rejected'] = [];
      items.forEach((item, i) => {
        if (bodies) reduceDeniedBody(item, bodies);
        else dropBodies(item);
        const id = (item as { auditID?: unknown } | null)?.auditID;
        const key = typeof id === 'string' ? id : null;
        let value = JSON.stringify(item);
        if (Buffer.byteLength(value) + RECORD_OVERHEAD + originBytes > cfg.maxMessageBytes) {
          reduceBody(item, bodies);
          value = JSON.stringify(item);
        }
        const size = Buffer.byteLength(value) + RECORD_OVERHEAD + originBytes;
        if (size <= cfg.maxMessageBytes) {
          queued.push(origin ? { key, value, headers: origin } : { key, value });
          return;
        }
        const detail = `items[${i}]: ${size} bytes without its body > Kafka message limit ${cfg.maxMessageBytes}`;
        rejected.push({ reason: 'too-large', detail });
        const stripped = stripBodies(value, cfg.maxMessageBytes);
        dead.push({
          key,
          value: cutUtf8(stripped.payload, cfg.deadLetterMaxBytes),
          headers: {
            'radar-reason': 'too-large',
            'radar-detail': detail,
            'radar-source': 'webhook',
            'radar-bodies-removed': String(stripped.removed),
          },
        });
      });
      for (const batch of batches(queued, cfg.maxMessageBytes)) await producer.send(cfg.topic, batch);
      for (const batch of batches(dead, cfg.maxMessageBytes)) await producer.send(cfg.dlqTopic, batch);
      return {
        events: items.length,
        queued: queued.length,
        rejectedCount: rejected.length,
        rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
      };
    },
  };
}

function dropBodies(item: unknown): void {
  if (item && typeof item === 'object') {
    delete (item as Record<string, unknown>).requestObject;
    delete (item as Record<string, unknown>).responseObject;
  }
}

/** The body replaced by its paths (as for a denied resource), or dropped without a BodyConfig. */
function reduceBody(item: unknown, bodies: BodyConfig | undefined): void {
  if (!item || typeof item !== 'object') return;
  const ev = item as Record<string, unknown>;
  if (!bodies) {
    dropBodies(ev);
    return;
  }
  const set = takeRequestPaths(ev, bodies);
  if (set) ev.requestObject = carriedBody(set);
}

/** Consecutive runs of records whose total stays under the broker's limit. */
function* batches(records: ProducedRecord[], maxBytes: number): Generator<ProducedRecord[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const size =
      Buffer.byteLength(r.value) +
      (r.key ? Buffer.byteLength(r.key) : 0) +
      (r.headers ? Buffer.byteLength(Object.entries(r.headers).flat().join('')) : 0) +
      RECORD_OVERHEAD;
    if (i > start && bytes + size > maxBytes) {
      yield records.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < records.length) yield records.slice(start);
}
