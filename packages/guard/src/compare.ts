import { type GuardRule, sameValue } from './rules.js';

/** What a full update did to a watched field. */
export interface Finding {
  rule: GuardRule;
  /** Concrete path with indices or map keys: `spec.rules[0].http.paths[1].pathType`. */
  at: string;
  kind: 'dropped' | 'reset';
  /** The value before (cut to a short text: it goes into messages and annotations). */
  before: string;
  /** The value now ('' when dropped). */
  after: string;
}

interface Segment {
  key: string;
  list: boolean;
}

// Bounds the walk of hostile objects: a list or map beyond this many items is sampled.
const MAX_ITEMS = 1000;
const parsed = new Map<string, Segment[]>();

function segments(path: string): Segment[] {
  let s = parsed.get(path);
  if (!s) {
    s = path
      .split('.')
      .map((p) => (p.endsWith('[]') ? { key: p.slice(0, -2), list: true } : { key: p, list: false }));
    parsed.set(path, s);
  }
  return s;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 64 ? `${s.slice(0, 61)}...` : s;
}

/**
 * Compares oldObject and object along each rule's path. A field is dropped when it was set and is
 * absent now while its parent is still there (a parent removed as a whole is the client's intent,
 * not a field it did not know); reset when it held another value and now holds one of the field's
 * defaults. List items are matched by `name` when they have one (containers), else by position.
 */
export function compareObjects(rules: readonly GuardRule[], before: unknown, after: unknown): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) walk(rule, segments(rule.path), 0, before, after, '', out);
  return out;
}

function walk(
  rule: GuardRule,
  segs: Segment[],
  i: number,
  before: unknown,
  after: unknown,
  at: string,
  out: Finding[],
): void {
  if (!isObject(before) || !isObject(after)) return;
  const seg = segs[i]!;
  const last = i === segs.length - 1;
  if (seg.key === '*') {
    let n = 0;
    for (const k of Object.keys(before)) {
      if (n++ >= MAX_ITEMS) break;
      if (!(k in after)) continue;
      step(rule, segs, i, seg, last, before[k], after[k], `${at}[${JSON.stringify(k)}]`, out, true);
    }
    return;
  }
  const here = at ? `${at}.${seg.key}` : seg.key;
  if (!(seg.key in before)) return;
  if (last && !seg.list) {
    leaf(rule, before[seg.key], seg.key in after, after[seg.key], here, out);
    return;
  }
  step(rule, segs, i, seg, last, before[seg.key], after[seg.key], here, out, seg.key in after);
}

function step(
  rule: GuardRule,
  segs: Segment[],
  i: number,
  seg: Segment,
  last: boolean,
  b: unknown,
  a: unknown,
  at: string,
  out: Finding[],
  present: boolean,
): void {
  if (!seg.list) {
    if (last) leaf(rule, b, present, a, at, out);
    else walk(rule, segs, i + 1, b, a, at, out);
    return;
  }
  if (!Array.isArray(b) || !Array.isArray(a)) return;
  const byName = new Map<string, unknown>();
  for (const item of a.slice(0, MAX_ITEMS)) {
    if (isObject(item) && typeof item.name === 'string') byName.set(item.name, item);
  }
  b.slice(0, MAX_ITEMS).forEach((item, idx) => {
    const named = isObject(item) && typeof item.name === 'string';
    const match = named ? byName.get(item.name as string) : a[idx];
    if (match === undefined) return;
    const itemAt = `${at}[${idx}]`;
    if (last) leaf(rule, item, true, match, itemAt, out);
    else walk(rule, segs, i + 1, item, match, itemAt, out);
  });
}

function leaf(rule: GuardRule, b: unknown, present: boolean, a: unknown, at: string, out: Finding[]): void {
  if (b === undefined || b === null) return;
  if (!present || a === undefined || a === null) {
    out.push({ rule, at, kind: 'dropped', before: short(b), after: '' });
    return;
  }
  if (sameValue(a, b)) return;
  if (rule.defaults.some((d) => sameValue(d, a))) {
    out.push({ rule, at, kind: 'reset', before: short(b), after: short(a) });
  }
}
