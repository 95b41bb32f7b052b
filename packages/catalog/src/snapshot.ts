import { Expander, type FieldNode, type TypeAnchor } from './expand.js';
import { gvkKey, resourcePlurals } from './resources.js';
import type { Gvk, SwaggerDoc } from './spec.js';

/** A kind that is served as a resource: the unit the catalog diffs. */
export interface KindInfo extends Gvk {
  resource: string;
  /** The definition name, e.g. io.k8s.api.apps.v1.Deployment. */
  definition: string;
}

export interface SnapshotOptions {
  /**
   * Also diff `status` (default false). A client's update of the object ignores status for every
   * built-in kind (it has its own subresource), so status fields only flood the catalog.
   */
  includeStatus?: boolean;
  /** Which kinds to keep (e.g. only definitions named io.k8s.* in a dump that also holds CRDs). */
  kindFilter?: (k: KindInfo) => boolean;
}

/** A document reduced to what the diff needs: its resource kinds and, on demand, their fields. */
export class SpecSnapshot {
  readonly kinds = new Map<string, KindInfo>();
  readonly expander: Expander;
  private readonly fieldCache = new Map<string, Map<string, FieldNode>>();

  constructor(
    readonly doc: SwaggerDoc,
    opts: SnapshotOptions = {},
  ) {
    this.expander = new Expander(doc.definitions, { includeStatus: opts.includeStatus ?? false });
    const plurals = resourcePlurals(doc);
    for (const name of Object.keys(doc.definitions).sort()) {
      for (const g of doc.definitions[name]?.['x-kubernetes-group-version-kind'] ?? []) {
        const gvk = { group: g.group ?? '', version: g.version, kind: g.kind };
        const key = gvkKey(gvk);
        const resource = plurals.get(key);
        if (!resource || this.kinds.has(key)) continue;
        const info: KindInfo = { ...gvk, resource, definition: name };
        if (!opts.kindFilter || opts.kindFilter(info)) this.kinds.set(key, info);
      }
    }
  }

  /** path -> field of one kind, computed once. */
  fields(key: string): Map<string, FieldNode> {
    const hit = this.fieldCache.get(key);
    if (hit) return hit;
    const kind = this.kinds.get(key);
    const out = new Map<string, FieldNode>();
    if (kind) for (const f of this.expander.expand(kind.definition).fields) out.set(f.path, f);
    this.fieldCache.set(key, out);
    return out;
  }

  /** Map and leaf paths of one kind: how to read a populated example object of it. */
  shape(key: string): { maps: string[]; leaves: string[] } {
    const kind = this.kinds.get(key);
    if (!kind) return { maps: [], leaves: [] };
    const { maps, leaves } = this.expander.expand(kind.definition);
    return { maps, leaves };
  }

  /** Where each named type sits inside one kind (PodSpec at `spec.template.spec`, ...). */
  anchors(key: string): TypeAnchor[] {
    const kind = this.kinds.get(key);
    return kind ? this.expander.expand(kind.definition).anchors : [];
  }
}
