import { CatalogInputError, parseMinor } from '@radar/catalog';
import { parseWindow, RankInputError } from '@radar/ranking';
import type { Store } from '@radar/store';
import { type ClusterVersions, loadClusters, minorNumber, minorOf } from '@radar/upgrade';
import { UsageError } from '../errors.js';
import { parseInstant } from '../instant.js';

/** A version flag read as a catalog minor number (28), or a usage error naming the flag. */
export function minorFlag(flag: string, text: string): number {
  try {
    return minorNumber(parseMinor(text));
  } catch (err) {
    if (err instanceof CatalogInputError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

/** --since/--from/--to as a window ending now by default. */
export function windowOf(
  a: { since?: string; from?: string; to?: string },
  defaultSince: string,
): { from: Date; to: Date } {
  const to = a.to ? parseInstant('--to', a.to) : new Date();
  let from: Date;
  if (a.from) from = parseInstant('--from', a.from);
  else {
    try {
      from = new Date(to.getTime() - parseWindow(a.since ?? defaultSince));
    } catch (err) {
      if (err instanceof RankInputError) throw new UsageError(`--since: ${err.message}`);
      throw err;
    }
  }
  if (from >= to)
    throw new UsageError(`empty window: --from ${from.toISOString()} is not before --to ${to.toISOString()}`);
  return { from, to };
}

/** The one cluster a command is about: --cluster, else the only one the traffic shows. */
export async function oneCluster(
  store: Store,
  cluster: string | undefined,
  w: { from: Date; to: Date },
): Promise<ClusterVersions> {
  const all = await loadClusters(store, { ...w, cluster: cluster ?? '' });
  if (cluster !== undefined) {
    const c = all.find((x) => x.cluster === cluster);
    if (!c)
      throw new UsageError(
        `cluster ${JSON.stringify(cluster)}: no control-plane or apiserver traffic stored for it between ${w.from.toISOString()} and ${w.to.toISOString()}`,
      );
    return c;
  }
  if (all.length === 1) return all[0]!;
  throw new UsageError(
    all.length === 0
      ? `no cluster's control-plane traffic is stored between ${w.from.toISOString()} and ${w.to.toISOString()}`
      : `several clusters in the store (${all.map((c) => c.cluster).join(', ')}): name one with --cluster`,
  );
}

/** What a command derived from traffic, said in its output. */
export interface Derived {
  current: string;
  from: 'traffic' | 'flag';
  cluster: string | null;
  /** Set when the flag and the traffic disagree. */
  warning?: string;
}

/**
 * --current / --cluster-version when not given: the control plane's minor from the cluster's own
 * traffic (`radar clusters`). Given, it is checked against the traffic: a mismatch is a warning on
 * stderr, the flag wins.
 */
export async function resolveCurrent(
  store: Store,
  flag: string,
  given: string | undefined,
  cluster: string | undefined,
  w: { from: Date; to: Date },
): Promise<Derived> {
  const all = await loadClusters(store, { ...w, cluster: cluster ?? '' }).then((cs) =>
    cs.filter((c) => c.current !== null),
  );
  const only =
    cluster !== undefined ? all.find((c) => c.cluster === cluster) : all.length === 1 ? all[0] : undefined;
  const seen = new Set(all.map((c) => c.current));
  if (given !== undefined) {
    const derived = only?.current ?? (seen.size === 1 ? [...seen][0]! : undefined);
    const out: Derived = { current: given, from: 'flag', cluster: only?.cluster ?? cluster ?? null };
    if (derived !== undefined && minorOf(derived) !== minorOf(given)) {
      out.warning = `${flag} ${given} but the control plane of ${only ? `cluster ${only.cluster}` : 'the clusters in the window'} runs ${derived} (from its user agents); using ${given}`;
      process.stderr.write(`radar: warning: ${out.warning}\n`);
    }
    return out;
  }
  if (only?.current) return { current: only.current, from: 'traffic', cluster: only.cluster };
  if (cluster === undefined && seen.size === 1 && all.length > 0)
    return { current: [...seen][0]!, from: 'traffic', cluster: null };
  throw new UsageError(
    `${flag} not given and not derivable: ${
      all.length === 0
        ? `no control-plane traffic (kube-apiserver, kube-controller-manager, kube-scheduler user agents) stored${cluster ? ` for cluster ${cluster}` : ''} in the window`
        : `the clusters run different versions (${all.map((c) => `${c.cluster} ${c.current}`).join(', ')}): pass --cluster or ${flag}`
    }`,
  );
}

/** The line a table/markdown output starts with when the version came from traffic. */
export const derivedLine = (d: Derived): string =>
  d.from === 'traffic'
    ? `Current version ${d.current} derived from the control plane's user agents${d.cluster ? ` of cluster ${d.cluster}` : ''} (pass --current to override).\n`
    : '';
