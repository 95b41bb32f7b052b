import type { AuditEvent } from './event.js';
import { fromGkeRecord } from './gke.js';
import { ItemSplitter, type SplitItem } from './items.js';
import { dlq, type ItemRange, type StepResult } from './result.js';
import { validateEvent } from './validate.js';

export interface DecodeOptions {
  /** Per event: a larger message that is not a list, or a larger item of a list, is rejected unread. */
  maxBytes: number;
  /** Per message: a list over maxBytes is split item by item up to this size (bounded work). */
  maxDocumentBytes?: number;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;
export const DEFAULT_DECODE: DecodeOptions = { maxBytes: 4 * 1024 * 1024 };

/** Stateless in fatal mode without `stream`, so one decoder serves every call. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type Results = StepResult<AuditEvent>[];

/**
 * One transport message -> one result per event it holds. A message may be an Event, an
 * EventList (webhook backend), a JSON array, an AKS diagnostic record (event as object or JSON
 * string in properties.log) or a GKE Cloud Audit record. One bad item never spoils its siblings:
 * a list that cannot be taken whole (over maxBytes, invalid UTF-8, broken JSON) is split item by
 * item, each with its own limit and check, and rejected items carry their byte range.
 */
export function decodeMessage(input: Buffer | string, opts: DecodeOptions = DEFAULT_DECODE): Results {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > opts.maxBytes)
    return splitList(input, opts, dlq('too-large', `${size} bytes > limit ${opts.maxBytes}`));
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      // Checks and decodes in one pass (isUtf8 then toString read every byte twice).
      text = UTF8.decode(input);
    } catch {
      return splitList(input, opts, dlq('invalid-utf8', 'message is not valid UTF-8'));
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return splitList(input, opts, dlq('invalid-json', (e as Error).message.slice(0, 200)));
  }
  const elements = Array.isArray(doc) ? doc : isEventList(doc) ? doc.items : undefined;
  if (!elements) return unwrap(doc, 0);
  const list = !Array.isArray(doc);
  const results: Results = [];
  const owner: number[] = [];
  let rejects = false;
  elements.forEach((el, i) => {
    for (const r of list ? [withIndex(validateEvent(el), `items[${i}]`)] : unwrap(el, 1)) {
      results.push(r);
      owner.push(i);
      rejects ||= r.kind === 'dlq';
    }
  });
  // Ranges are found only when needed: the good case stays one JSON.parse.
  if (rejects) {
    const ranges = itemRanges(input);
    results.forEach((r, i) => {
      const range = ranges[owner[i]!];
      if (r.kind === 'dlq' && range) r.item = range;
    });
  }
  return results;
}

/** The whole-message result, unless the message is a list: then one result per item. */
function splitList(input: Buffer | string, opts: DecodeOptions, whole: StepResult<AuditEvent>): Results {
  const maxDoc = opts.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  if (buf.length > maxDoc || !startsLikeList(buf)) return [whole];
  const out: Results = [];
  let single = false;
  const splitter = new ItemSplitter(
    opts.maxBytes,
    (item) => {
      if (item.kind === 'top') single = true;
      else out.push(...decodeItem(item, opts));
    },
    true,
  );
  splitter.write(buf);
  splitter.end();
  const err = splitter.error;
  if (single || !splitter.sawList || err?.notList) return [whole];
  if (err) {
    const start = err.itemStart ?? err.offset;
    const at = err.path ? `${err.path}: ` : '';
    out.push(dlq('invalid-json', `${at}${err.message.slice(0, 200)}`));
    (out.at(-1) as { item?: ItemRange }).item = { start, end: buf.length };
  }
  return out;
}

/** One item of a split list or document: the per-message fast path, on the item's own bytes. */
export function decodeItem(item: SplitItem, opts: DecodeOptions): Results {
  const range = { start: item.start, end: item.end };
  const prefix = item.path ? `${item.path}: ` : '';
  const rs = item.data
    ? decodeOne(item.data, item.kind)
    : [dlq<AuditEvent>('too-large', `${item.end - item.start} bytes > limit ${opts.maxBytes}`)];
  return rs.map((r) => (r.kind === 'dlq' ? { ...r, detail: `${prefix}${r.detail}`, item: range } : r));
}

function decodeOne(data: Buffer, kind: SplitItem['kind']): Results {
  let doc: unknown;
  try {
    doc = JSON.parse(UTF8.decode(data));
  } catch (e) {
    return e instanceof SyntaxError
      ? [dlq('invalid-json', e.message.slice(0, 200))]
      : [dlq('invalid-utf8', 'item is not valid UTF-8')];
  }
  if (kind === 'list-item') return [validateEvent(doc)];
  return unwrap(doc, kind === 'array-item' ? 1 : 0);
}

function itemRanges(input: Buffer | string): ItemRange[] {
  const ranges: ItemRange[] = [];
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const splitter = new ItemSplitter(buf.length, (it) => ranges.push({ start: it.start, end: it.end }));
  splitter.write(buf);
  splitter.end();
  return ranges;
}

function startsLikeList(buf: Buffer): boolean {
  for (const b of buf) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x5b || b === 0x7b;
  }
  return false;
}

function unwrap(doc: unknown, depth: number): Results {
  if (Array.isArray(doc))
    return depth > 1 ? [notAnEvent('nested array')] : doc.flatMap((d) => unwrap(d, depth + 1));
  if (doc === null || typeof doc !== 'object')
    return [notAnEvent(`JSON ${doc === null ? 'null' : typeof doc}`)];
  const o = doc as Record<string, unknown>;
  if (isEventList(o)) {
    if (depth > 1) return [notAnEvent('nested EventList')];
    return o.items.map((item, i) => withIndex(validateEvent(item), `items[${i}]`));
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

function withIndex(r: StepResult<AuditEvent>, path: string): StepResult<AuditEvent> {
  return r.kind === 'dlq' ? { ...r, detail: `${path}: ${r.detail}` } : r;
}

/** The webhook backend's body: {"kind":"EventList","items":[...]} (kind may be stripped). */
export function isEventList(doc: unknown): doc is { items: unknown[] } {
  if (doc === null || typeof doc !== 'object') return false;
  const o = doc as Record<string, unknown>;
  return Array.isArray(o.items) && (o.kind === 'EventList' || o.auditID === undefined);
}
