import type { Gvk, SwaggerDoc } from './spec.js';

export function gvkKey(g: Gvk): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

/**
 * GVK -> resource plural, read from the document's paths: the operations on a collection or on a
 * named object (`/apis/<group>/<version>/[namespaces/{namespace}/]<plural>[/{name}]`, also under
 * `watch/`) carry the kind in x-kubernetes-group-version-kind. Subresources (`/{name}/scale`,
 * `/eviction`, `/status`) are skipped: their kinds (Scale, Eviction, ...) are not stored objects.
 */
export function resourcePlurals(doc: SwaggerDoc): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    const plural = topLevelResource(path);
    if (!plural) continue;
    for (const op of Object.values(item)) {
      const gvk = (op as { 'x-kubernetes-group-version-kind'?: Gvk } | null)?.[
        'x-kubernetes-group-version-kind'
      ];
      if (!gvk || typeof gvk.kind !== 'string') continue;
      const key = gvkKey({ group: gvk.group ?? '', version: gvk.version, kind: gvk.kind });
      if (!out.has(key)) out.set(key, plural);
    }
  }
  return out;
}

/** The resource of a path to a collection or a named object, or undefined (subresource, discovery). */
export function topLevelResource(path: string): string | undefined {
  const seg = path.split('/').filter(Boolean);
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 2) rest = seg.slice(2);
  else if (seg[0] === 'apis' && seg.length >= 3) rest = seg.slice(3);
  else return undefined;
  if (rest[0] === 'watch') rest = rest.slice(1);
  // namespaced resources; `/namespaces/{name}/finalize` is a subresource of namespaces instead.
  if (rest[0] === 'namespaces' && rest[1] === '{namespace}' && rest.length >= 3) rest = rest.slice(2);
  const [plural, name, ...sub] = rest;
  if (!plural || plural.startsWith('{') || sub.length > 0) return undefined;
  if (name !== undefined && !name.startsWith('{')) return undefined;
  return plural;
}
