/**
 * Which fields to gather evidence on, in the shape of the evidence queries' parameters. An object
 * can be written through several group/resources (extensions/deployments is apps/deployments):
 * `aliases` are the ones requests may name, `object` the one the answers are keyed by.
 */
export interface EvidenceTarget {
  /** Canonical 'group/resource' (core group ''). */
  object: string;
  /** Every 'group/resource' a request may name for it (object included). */
  aliases: readonly string[];
  path: string;
}

export interface TargetParams {
  resources: string[];
  alias_keys: string[];
  alias_objects: string[];
}

/** The alias map and resource list shared by the evidence queries. */
export function targetParams(targets: readonly Pick<EvidenceTarget, 'object' | 'aliases'>[]): TargetParams {
  const alias = new Map<string, string>();
  const resources = new Set<string>();
  for (const t of targets) {
    for (const a of [t.object, ...t.aliases]) {
      resources.add(a.slice(a.indexOf('/') + 1));
      if (a !== t.object) alias.set(a, t.object);
    }
  }
  return {
    resources: [...resources].sort(),
    alias_keys: [...alias.keys()],
    alias_objects: [...alias.values()],
  };
}

/** '1.27' (a catalog `since`) -> 27; undefined for anything else. */
export function minorOf(since: string): number | undefined {
  const m = /^v?1\.(\d{1,3})$/.exec(since);
  return m ? Number(m[1]) : undefined;
}
