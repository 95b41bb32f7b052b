import type { Schema } from './spec.js';

/** One field of a kind: its JSON path and its `default` (as JSON text) when the document has one. */
export interface FieldNode {
  path: string;
  defaultJson?: string;
}

/** Where a named type's fields are attached: `prefix` is the path of the object of that type. */
export interface TypeAnchor {
  type: string;
  prefix: string;
}

export interface Expansion {
  fields: FieldNode[];
  anchors: TypeAnchor[];
  /** Paths whose value is a map (additionalProperties): their keys are data, not fields. */
  maps: string[];
  /** Paths the walk does not enter (cycles, metadata, schemaless objects such as RawExtension). */
  leaves: string[];
}

const META = /\.apis\.meta\.v1\.(ObjectMeta|ListMeta)$/;

export function refName(s: Schema | undefined): string | undefined {
  const ref = s?.$ref ?? s?.allOf?.find((x) => x.$ref)?.$ref;
  return ref?.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
}

export function joinPath(prefix: string, rel: string): string {
  if (prefix === '') return rel;
  if (rel === '') return prefix;
  return rel.startsWith('[]') ? prefix + rel : `${prefix}.${rel}`;
}

/** The path one object up: `a.b[].c` -> `a.b`, `a.*.c` -> `a`, `a` -> ''. */
export function parentPath(path: string): string {
  const dot = path.lastIndexOf('.');
  let p = dot < 0 ? '' : path.slice(0, dot);
  for (;;) {
    if (p.endsWith('[]')) p = p.slice(0, -2);
    else if (p.endsWith('.*')) p = p.slice(0, -2);
    else if (p === '*') p = '';
    else return p;
  }
}

/**
 * Expands named definitions into field paths, following $ref. Definitions on a reference cycle
 * (JSONSchemaProps inside a CRD) and object/list metadata are not entered: the referring field is a
 * path, its insides are not (cycles have no finite paths; metadata is handled by the apiserver the
 * same way for every kind, so its fields would only repeat under every kind). Expansions of a
 * definition are memoised: a PodSpec is walked once per document, not once per workload kind.
 */
export class Expander {
  private readonly memo = new Map<string, Expansion>();
  readonly opaque: Set<string>;

  /**
   * `includeStatus: false` leaves out `status` of every kind, also where a kind is embedded (a
   * StatefulSet's volumeClaimTemplates[] are PersistentVolumeClaims): a client's update of the
   * object never writes status of built-in kinds (it is a subresource), so it only floods the diff.
   */
  constructor(
    private readonly definitions: Record<string, Schema>,
    private readonly opts: { includeStatus?: boolean } = {},
  ) {
    this.opaque = cyclicDefinitions(definitions);
    for (const name of Object.keys(definitions)) if (META.test(name)) this.opaque.add(name);
  }

  has(name: string): boolean {
    return this.definitions[name] !== undefined;
  }

  /** Fields of a definition relative to its root, and where each named type sits in it. */
  expand(name: string): Expansion {
    const hit = this.memo.get(name);
    if (hit) return hit;
    const out: Expansion = { fields: [], anchors: [{ type: name, prefix: '' }], maps: [], leaves: [] };
    const schema = this.definitions[name];
    if (schema) {
      const isKind = (schema['x-kubernetes-group-version-kind']?.length ?? 0) > 0;
      if (isKind && !this.opts.includeStatus && schema.properties?.status) {
        const { status: _status, ...rest } = schema.properties;
        this.walkInto({ ...schema, properties: rest }, '', out);
      } else this.walkInto(schema, '', out);
    }
    this.memo.set(name, out);
    return out;
  }

  private walkProperty(path: string, sub: Schema, out: Expansion): void {
    const node: FieldNode = { path };
    if (sub.default !== undefined) node.defaultJson = JSON.stringify(sub.default);
    out.fields.push(node);
    this.walkInto(sub, path, out);
  }

  /** Adds the fields below `schema`, whose own node (if any) is at `prefix`. */
  private walkInto(schema: Schema, prefix: string, out: Expansion): void {
    const ref = refName(schema);
    if (ref !== undefined) {
      const def = this.definitions[ref];
      if (this.opaque.has(ref) || !def || isShapeless(def)) {
        if (prefix !== '') out.leaves.push(prefix);
        return;
      }
      const inner = this.expand(ref);
      for (const m of inner.maps) out.maps.push(joinPath(prefix, m));
      for (const l of inner.leaves) out.leaves.push(joinPath(prefix, l));
      for (const f of inner.fields) {
        const node: FieldNode = { path: joinPath(prefix, f.path) };
        if (f.defaultJson !== undefined) node.defaultJson = f.defaultJson;
        out.fields.push(node);
      }
      for (const a of inner.anchors) out.anchors.push({ type: a.type, prefix: joinPath(prefix, a.prefix) });
      return;
    }
    if (schema.properties) {
      for (const [prop, sub] of Object.entries(schema.properties)) {
        if (sub && typeof sub === 'object') this.walkProperty(joinPath(prefix, prop), sub, out);
      }
    }
    if (schema.items && typeof schema.items === 'object') this.walkInto(schema.items, `${prefix}[]`, out);
    const ap = schema.additionalProperties;
    if (ap) out.maps.push(prefix);
    if (ap && typeof ap === 'object') this.walkInto(ap, prefix === '' ? '*' : `${prefix}.*`, out);
    for (const part of schema.allOf ?? []) if (!part.$ref) this.walkInto(part, prefix, out);
  }
}

/** An object schema without any declared shape (RawExtension, FieldsV1): a leaf for the walk. */
function isShapeless(s: Schema): boolean {
  return (
    (s.type === undefined || s.type === 'object') &&
    !s.properties &&
    !s.items &&
    !s.additionalProperties &&
    !(s.allOf?.length ?? 0)
  );
}

/** Definitions that can reach themselves through $refs (Tarjan's strongly connected components). */
export function cyclicDefinitions(definitions: Record<string, Schema>): Set<string> {
  const edges = new Map<string, string[]>();
  for (const [name, schema] of Object.entries(definitions))
    edges.set(name, [...collectRefs(schema, new Set())]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cyclic = new Set<string>();
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) for (const w of scc) cyclic.add(w);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cyclic;
}

function collectRefs(schema: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) collectRefs(s, into);
  } else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
        into.add(v.slice('#/definitions/'.length));
      } else if (k !== 'description' && typeof v === 'object') collectRefs(v, into);
    }
  }
  return into;
}
