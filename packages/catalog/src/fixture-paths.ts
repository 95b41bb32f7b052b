import { joinPath } from './expand.js';

/** How to read a kind's example object: which paths are maps and which are not entered (from the documents). */
export interface ShapeHints {
  maps: ReadonlySet<string>;
  leaves: ReadonlySet<string>;
}

const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * The field paths of a populated example object (an upstream round-trip fixture), written as the
 * catalog writes them: `[]` for list items, `*` for map values, no `status` of a stored object, no
 * insides of metadata or of schemaless values. Map keys are placeholders that changed between
 * releases (`labelsKey`, `24`, random unicode), so a map is known from the documents, else from its
 * keys: all `<field>Key` or none a field name.
 */
export function fixturePaths(obj: Record<string, unknown>, hints: ShapeHints): Set<string> {
  const out = new Set<string>();
  walk(obj, '', '', hints, out, true);
  return out;
}

function walk(
  value: unknown,
  path: string,
  name: string,
  hints: ShapeHints,
  out: Set<string>,
  isRoot = false,
): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, `${path}[]`, name, hints, out);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (!isRoot && (hints.leaves.has(path) || isObjectMeta(name, value))) return;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (!isRoot && (hints.maps.has(path) || looksLikeMap(name, keys))) {
    const star = path === '' ? '*' : `${path}.*`;
    for (const k of keys) walk(obj[k], star, name, hints, out);
    return;
  }
  // A stored object's status is written through its own subresource, as the diff engine reads it.
  const stored = isRoot || ('metadata' in obj && 'spec' in obj);
  for (const k of keys) {
    if (stored && k === 'status') continue;
    const p = joinPath(path, k);
    out.add(p);
    walk(obj[k], p, k, hints, out);
  }
}

function looksLikeMap(name: string, keys: string[]): boolean {
  if (keys.length === 0) return false;
  return keys.every((k) => k === `${name}Key`) || keys.every((k) => !FIELD_NAME.test(k));
}

function isObjectMeta(name: string, value: object): boolean {
  return name === 'metadata' && ('name' in value || 'labels' in value || 'generateName' in value);
}
