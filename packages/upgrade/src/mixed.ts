import type { ApiserverSeen, ClusterVersions, Upgrade } from './clusters.js';
import { minorOf, minorText } from './version.js';

/** The interval in which apiservers of both versions served, and how it was found. */
export interface MixedWindow {
  from: string;
  to: string;
  start: string;
  end: string;
  /** 'apiservers': identities named by the sources; 'control-plane': the detected upgrade interval. */
  basis: 'apiservers' | 'control-plane';
  /** The older apiservers (identities), empty on the control-plane basis. */
  older: string[];
}

const spanOf = (as: ApiserverSeen[]) => ({
  first: as.map((a) => a.firstSeen).sort()[0]!,
  last: as
    .map((a) => a.lastSeen)
    .sort()
    .at(-1)!,
});

/**
 * For an upgrade from -> to (minors as numbers): from the apiserver identities when the sources
 * named both versions (first request through a new one .. last through an old one), else from the
 * control plane's detected upgrade. Undefined when neither shows the two versions overlapping.
 */
export function mixedWindow(c: ClusterVersions, from: number, to: number): MixedWindow | undefined {
  const old = c.apiservers.filter((a) => minorOf(a.version) === from);
  const young = c.apiservers.filter((a) => minorOf(a.version) === to);
  const base = { from: minorText(from), to: minorText(to) };
  if (old.length > 0 && young.length > 0) {
    const start = spanOf(young).first;
    const end = spanOf(old).last;
    if (start <= end)
      return {
        ...base,
        start,
        end,
        basis: 'apiservers',
        older: [...new Set(old.map((a) => a.apiserver))].sort(),
      };
  }
  const up: Upgrade | undefined = c.upgrades.find(
    (u) => u.from === minorText(from) && u.to === minorText(to),
  );
  if (up) return { ...base, start: up.at, end: up.completedAt, basis: 'control-plane', older: [] };
  return undefined;
}

/** One row of queries/upgrade_mixed_writes.sql. */
export interface MixedWriteRow {
  api_group: string;
  resource: string;
  namespace: string;
  client_name: string;
  apiserver: string;
  writes: number;
  sample_ids: string[];
}

export interface MixedWrite {
  api: string;
  namespace: string;
  client: string;
  apiserver: string;
  writes: number;
  sampleAuditIds: string[];
}

/** Largest first: the writes most likely to have lost fields during the roll. */
export function mixedWrites(rows: readonly MixedWriteRow[]): MixedWrite[] {
  return rows
    .map((r) => ({
      api: `${r.api_group || 'core'}/${r.resource}`,
      namespace: r.namespace,
      client: r.client_name,
      apiserver: r.apiserver,
      writes: Number(r.writes),
      sampleAuditIds: [...r.sample_ids].sort().slice(0, 5),
    }))
    .sort(
      (a, b) =>
        b.writes - a.writes ||
        a.api.localeCompare(b.api) ||
        a.namespace.localeCompare(b.namespace) ||
        a.client.localeCompare(b.client),
    );
}
