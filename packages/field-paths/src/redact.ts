import { isUtf8 } from 'node:buffer';
import { isPlainObject } from './walker.js';

/** Keys that hold request or response bodies in audit events and their cloud wrappers. */
const BODY_KEYS = ['requestObject', 'responseObject'];
const GKE_BODY_KEYS = ['request', 'response'];
const REMOVED = '(removed by upgrade-radar: bodies are never kept)';
/** Containers entered looking for events: EventList -> items -> event, AKS record -> properties. */
const MAX_DEPTH = 4;

/**
 * A rejected message as it may be kept for inspection (DLQ topic, dead_letters): every request
 * and response body removed. JSON is edited structurally; input that does not parse (broken JSON,
 * invalid UTF-8, too large to parse) is cut before the first body key. The rest of the event
 * (IDs, user, verb, object reference) stays, which is what finding the original needs.
 */
export function stripBodies(
  raw: Buffer | string,
  maxParseBytes: number,
): { payload: string; removed: number } {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  if (bytes.length <= maxParseBytes && isUtf8(bytes)) {
    try {
      const doc: unknown = JSON.parse(bytes.toString('utf8'));
      const removed = strip(doc, 0);
      return { payload: removed > 0 ? JSON.stringify(doc) : bytes.toString('utf8'), removed };
    } catch {
      // not JSON: cut below
    }
  }
  const text = bytes.toString('utf8');
  const at = firstBodyKey(text);
  return at < 0
    ? { payload: text, removed: 0 }
    : { payload: `${text.slice(0, at)}${JSON.stringify(REMOVED)}`, removed: 1 };
}

function strip(node: unknown, depth: number): number {
  if (depth > MAX_DEPTH) return 0;
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + strip(x, depth + 1), 0);
  if (!isPlainObject(node)) return 0;
  let removed = 0;
  for (const k of BODY_KEYS) {
    if (k in node) {
      node[k] = REMOVED;
      removed++;
    }
  }
  const proto = node.protoPayload;
  if (isPlainObject(proto)) {
    for (const k of GKE_BODY_KEYS) {
      if (k in proto) {
        proto[k] = REMOVED;
        removed++;
      }
    }
  }
  if (Array.isArray(node.items)) removed += strip(node.items, depth + 1);
  const props = node.properties;
  if (isPlainObject(props)) {
    if (typeof props.log === 'string') {
      const inner = stripBodies(props.log, props.log.length);
      props.log = inner.payload;
      removed += inner.removed;
    } else removed += strip(props.log, depth + 1);
  }
  return removed;
}

/**
 * Where the first body could start in text that could not be parsed (-1: none). Unquoted names
 * also catch bodies inside escaped JSON (an AKS record's properties.log string).
 */
function firstBodyKey(text: string): number {
  const m = /requestObject|responseObject|\\?"(request|response)\\?"/.exec(text);
  return m ? m.index : -1;
}
