import { isFieldName, isPlainObject, type Walker } from './walker.js';

/** Where a JSON pointer lands, in path syntax. */
interface Target {
  path: string;
  key: string;
  parentKey: string;
  /** The pointer names a free-form map itself (`/metadata/labels`). */
  isMap: boolean;
  /** The pointer names one entry of a map (`/metadata/labels/app`): a key, never a path. */
  mapEntry: boolean;
  /** The pointer ends inside an opaque field; nothing below it is a path. */
  opaque: boolean;
  depth: number;
}

const unescapeSegment = (s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~');

/**
 * Walks one JSON pointer (RFC 6901) into path syntax, recording every field on the way: list
 * indexes (`0`, `-`) become `[]`, keys of maps become `*` (or end the path), the same rules as
 * objects. Undefined for a pointer that is not one.
 */
function walkPointer(w: Walker, pointer: string, maxDepth: number): Target | undefined {
  if (pointer === '') return undefined; // the whole object: replaced, which JSON patch rarely does
  if (!pointer.startsWith('/')) return undefined;
  const segs = pointer
    .slice(1)
    .split('/', maxDepth + 1)
    .map(unescapeSegment);
  const t: Target = {
    path: '',
    key: '',
    parentKey: '',
    isMap: false,
    mapEntry: false,
    opaque: false,
    depth: 0,
  };
  for (let i = 0; i < segs.length; i++) {
    if (i >= maxDepth) {
      w.stop('too-deep');
      return t;
    }
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    t.depth = i + 1;
    if (t.isMap || (t.path !== '' && !isFieldName(seg) && !/^(\d+|-)$/.test(seg))) {
      // A map key: the map itself is what the request sets.
      if (last) return { ...t, isMap: false, mapEntry: true };
      t.path = `${t.path}.*`;
      t.key = '*';
      t.parentKey = '';
      t.isMap = false;
      if (!w.add(t.path)) return undefined;
      continue;
    }
    if (/^(\d+|-)$/.test(seg)) {
      if (t.path === '') return undefined;
      t.path = `${t.path}[]`;
      t.key = '';
      t.parentKey = '';
      continue;
    }
    if (!isFieldName(seg)) return undefined;
    t.parentKey = t.key;
    t.key = seg;
    t.path = t.path === '' ? seg : `${t.path}.${seg}`;
    if (!w.add(t.path)) return undefined;
    if (w.isOpaque(t.path, t.key, t.parentKey)) return { ...t, opaque: true };
    t.isMap = w.isMap(t.path, t.key, t.parentKey);
  }
  return t;
}

/**
 * A JSON patch (RFC 6902, an array of operations): add/replace set their `path` and whatever
 * their value holds; copy/move set their `path`; remove and test set nothing. Returns false when
 * no element is an operation (then the body is not a JSON patch).
 */
export function walkJsonPatch(w: Walker, ops: readonly unknown[], maxDepth: number): boolean {
  let valid = 0;
  for (const op of ops) {
    if (!w.visit()) break;
    if (!isPlainObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') continue;
    valid++;
    if (op.op !== 'add' && op.op !== 'replace' && op.op !== 'copy' && op.op !== 'move') continue;
    const t = walkPointer(w, op.path, maxDepth);
    if (!t || t.opaque || w.stopped) continue;
    if (op.op === 'copy' || op.op === 'move') continue;
    const v = op.value;
    if (typeof v !== 'object' || v === null) continue;
    if (t.mapEntry) {
      // The value of one map entry: structured values are the map's `*` paths.
      const star = `${t.path}.*`;
      if (w.add(star)) w.value(v, star, '*', '', t.depth);
    } else if (t.isMap && isPlainObject(v)) w.object(v, t.path, t.key, t.depth, true);
    else w.value(v, t.path, t.key, t.parentKey, t.depth - 1);
  }
  return valid > 0 || ops.length === 0;
}
