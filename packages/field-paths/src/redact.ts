import { createHash } from 'node:crypto';
import { isPlainObject } from './walker.js';

/** Keys that hold bodies, compared lower-cased: Go's encoding/json matches keys case-insensitively. */
const BODY_KEYS = new Set(['requestobject', 'responseobject']);
/** GKE Cloud Audit records keep bodies in protoPayload.request / .response. */
const GKE_BODY_KEYS = new Set(['request', 'response']);
const REMOVED = '(removed by upgrade-radar: bodies are never kept)';
/** Identifying fields an outline keeps from input that parsed only after a lossy decode. */
const IDENTITY = ['auditID', 'stage', 'verb', 'requestURI', 'userAgent', 'requestReceivedTimestamp'];
const OBJECT_REF = ['resource', 'namespace', 'name', 'apiGroup', 'apiVersion'];
const UUID =
  /"auditID"\s*:\s*"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface Stripped {
  payload: string;
  /** Bodies removed; at least 1 when the payload is an outline (never the input as it was). */
  removed: number;
  /** True when the input could not be read safely and only an outline of it is kept. */
  outline: boolean;
}

/**
 * A rejected message as it may be kept for inspection (DLQ topic, dead_letters): every request
 * and response body removed. Bodies are found by parsing, never by text match, so an escaped key
 * (`"request\u004fbject"`) is found like any other. Input that cannot be read exactly (invalid
 * UTF-8, not JSON, larger than maxParseBytes, nested too deep to re-serialise) is replaced by an
 * outline: its size, SHA-256 and identifying fields, because a body could hide anywhere in it
 * (a corrupt byte inside a key, a broken quote) and no text match can prove otherwise.
 */
export function stripBodies(raw: Buffer | string, maxParseBytes: number): Stripped {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  if (bytes.length > maxParseBytes) return outline(bytes, `larger than ${maxParseBytes} bytes`);
  let text: string;
  let lossy = false;
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = bytes.toString('utf8');
    lossy = true;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return outline(bytes, lossy ? 'not valid UTF-8, not JSON' : 'not JSON');
  }
  if (lossy) return outline(bytes, 'not valid UTF-8', identity(doc));
  try {
    const removed = stripTree(doc);
    return { payload: removed > 0 ? JSON.stringify(doc) : text, removed, outline: false };
  } catch {
    // JSON.stringify recurses: a document nested deeper than the stack is kept as an outline.
    return outline(bytes, 'nested too deep');
  }
}

/** Replaces every body in place, at any depth (iterative: hostile nesting costs no stack). */
function stripTree(root: unknown): number {
  let removed = 0;
  // Each node with the (lower-cased) key it sits under.
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, under] = stack.pop()!;
    if (Array.isArray(node)) {
      for (const x of node) if (typeof x === 'object' && x !== null) stack.push([x, under]);
      continue;
    }
    if (!isPlainObject(node)) continue;
    for (const [k, v] of Object.entries(node)) {
      const key = k.toLowerCase();
      if (BODY_KEYS.has(key) || (under === 'protopayload' && GKE_BODY_KEYS.has(key))) {
        node[k] = REMOVED;
        removed++;
      } else if (under === 'properties' && key === 'log' && typeof v === 'string') {
        // An AKS record carries its event as a JSON string: strip it the same way, or drop it.
        const inner = stripBodies(v, Number.POSITIVE_INFINITY);
        node[k] = inner.outline ? REMOVED : inner.payload;
        removed += inner.outline ? 1 : inner.removed;
      } else if (typeof v === 'object' && v !== null) stack.push([v, key]);
    }
  }
  return removed;
}

function outline(bytes: Buffer, why: string, event?: Record<string, unknown>): Stripped {
  const out: Record<string, unknown> = {
    outline: `${why}: kept as its size, hash and identifying fields only`,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  if (event && Object.keys(event).length > 0) out.event = event;
  else {
    // Unparsed: only an audit ID of UUID shape, which cannot carry anything else.
    const m = UUID.exec(bytes.subarray(0, 64 * 1024).toString('latin1'));
    if (m) out.event = { auditID: m[1] };
  }
  return { payload: JSON.stringify(out), removed: 1, outline: true };
}

/** The fields the store keeps of any event (never a body), from a lossily decoded document. */
function identity(doc: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(doc)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of IDENTITY) if (typeof doc[k] === 'string') out[k] = (doc[k] as string).slice(0, 512);
  const user = doc.user;
  if (isPlainObject(user) && typeof user.username === 'string')
    out.user = { username: user.username.slice(0, 512) };
  const ref = doc.objectRef;
  if (isPlainObject(ref)) {
    const r: Record<string, string> = {};
    for (const k of OBJECT_REF) if (typeof ref[k] === 'string') r[k] = (ref[k] as string).slice(0, 512);
    out.objectRef = r;
  }
  return out;
}
