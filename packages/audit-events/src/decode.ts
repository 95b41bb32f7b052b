import type { AuditEvent } from './event.js';
import { fromGkeRecord } from './gke.js';
import { dlq, type StepResult } from './result.js';
import { validateEvent } from './validate.js';

export interface DecodeOptions {
  /** Larger messages are rejected whole, before parsing (bounded work per message). */
  maxBytes: number;
}

export const DEFAULT_DECODE: DecodeOptions = { maxBytes: 4 * 1024 * 1024 };

/** Stateless in fatal mode without `stream`, so one decoder serves every call. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One transport message -> one result per event it holds. A message may be an Event, an
 * EventList (webhook backend), a JSON array, an AKS diagnostic record (event as object or JSON
 * string in properties.log) or a GKE Cloud Audit record. One bad item never spoils its siblings.
 */
export function decodeMessage(
  input: Buffer | string,
  opts: DecodeOptions = DEFAULT_DECODE,
): StepResult<AuditEvent>[] {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > opts.maxBytes) return [dlq('too-large', `${size} bytes > limit ${opts.maxBytes}`)];
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      // Checks and decodes in one pass (isUtf8 then toString read every byte twice).
      text = UTF8.decode(input);
    } catch {
      return [dlq('invalid-utf8', 'message is not valid UTF-8')];
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return [dlq('invalid-json', (e as Error).message.slice(0, 200))];
  }
  return unwrap(doc, 0);
}

function unwrap(doc: unknown, depth: number): StepResult<AuditEvent>[] {
  if (Array.isArray(doc))
    return depth > 1 ? [notAnEvent('nested array')] : doc.flatMap((d) => unwrap(d, depth + 1));
  if (doc === null || typeof doc !== 'object')
    return [notAnEvent(`JSON ${doc === null ? 'null' : typeof doc}`)];
  const o = doc as Record<string, unknown>;
  if (isEventList(o)) {
    if (depth > 1) return [notAnEvent('nested EventList')];
    return o.items.map((item, i) => withIndex(validateEvent(item), i));
  }
  const props = o.properties as Record<string, unknown> | undefined;
  if (props && typeof props === 'object' && 'log' in props && typeof o.category === 'string') {
    const log = props.log;
    if (typeof log !== 'string') return unwrap(log, depth + 1);
    try {
      return unwrap(JSON.parse(log), depth + 1);
    } catch (e) {
      return [dlq('invalid-json', `properties.log: ${(e as Error).message.slice(0, 200)}`)];
    }
  }
  if (o.protoPayload && typeof o.protoPayload === 'object') return [fromGkeRecord(o)];
  return [validateEvent(o)];
}

const notAnEvent = (what: string) => dlq<AuditEvent>('not-an-event', `expected an audit Event, got ${what}`);

function withIndex(r: StepResult<AuditEvent>, i: number): StepResult<AuditEvent> {
  return r.kind === 'dlq' ? { ...r, detail: `items[${i}]: ${r.detail}` } : r;
}

/** The webhook backend's body: {"kind":"EventList","items":[...]} (kind may be stripped). */
export function isEventList(doc: unknown): doc is { items: unknown[] } {
  if (doc === null || typeof doc !== 'object') return false;
  const o = doc as Record<string, unknown>;
  return Array.isArray(o.items) && (o.kind === 'EventList' || o.auditID === undefined);
}
