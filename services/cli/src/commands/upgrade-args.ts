import { builtinChanges, CatalogInputError, parseMinor } from '@radar/catalog';
import { parseWindow, RankInputError } from '@radar/ranking';
import type { Store } from '@radar/store';
import {
  type ClusterWithEmulation,
  type EmulatedVersion,
  loadClusters,
  loadEmulation,
  minorNumber,
  minorOf,
} from '@radar/upgrade';
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
): Promise<ClusterWithEmulation> {
  const all = await clustersWithEmulation(store, cluster, w);
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

/** Clusters of the window with their emulated versions (the built-in catalog's APIs). */
export async function clustersWithEmulation(
  store: Store,
  cluster: string | undefined,
  w: { from: Date; to: Date },
): Promise<ClusterWithEmulation[]> {
  const window = { ...w, cluster: cluster ?? '' };
  return loadEmulation(store, builtinChanges(), await loadClusters(store, window), window);
}

/** The minor a cluster's control plane serves: its emulated one when traffic shows it, else its binary's. */
const servedOf = (c: ClusterWithEmulation): string | null =>
  c.emulatedVersion?.status === 'emulated' ? c.emulatedVersion.minor : c.current;

/** The evidence of an emulated version in one line: 'networking.k8s.io/v1 servicecidrs 404 x4'. */
export const emulationEvidence = (e: EmulatedVersion): string =>
  e.evidence
    .filter((x) => x.proves === 'below')
    .map((x) => `${x.gv} ${x.resource} (new in ${x.addedIn}) 404 x${x.notFound}`)
    .join(', ');

/**
 * A command's emulated minor: `--emulated` if given, else the one traffic shows for a control
 * plane whose binary is `binary` (the version upgraded to). A given one the traffic contradicts
 * is a warning on stderr; the flag wins.
 */
export function resolveEmulated(
  given: number | undefined,
  c: ClusterWithEmulation,
  binary: number | undefined,
): { emulated: number | undefined; from: 'flag' | 'traffic' | null; warning?: string } {
  const e = c.emulatedVersion;
  const detected =
    e?.status === 'emulated' && binary !== undefined && minorOf(e.binary) === binary ? e : undefined;
  if (given === undefined)
    return detected
      ? { emulated: minorOf(detected.minor!), from: 'traffic' }
      : { emulated: undefined, from: null };
  const shown = e && binary !== undefined && minorOf(e.binary) === binary ? e : undefined;
  const servedMinor =
    shown?.status === 'emulated' ? shown.minor : shown?.status === 'not-emulated' ? shown.binary : null;
  if (servedMinor !== null && minorOf(servedMinor) !== given) {
    const why = shown!.status === 'emulated' ? emulationEvidence(shown!) : 'successes on APIs new in it';
    const warning = `--emulated 1.${given} but the control plane of cluster ${c.cluster} serves ${servedMinor} (${why}); using 1.${given}`;
    process.stderr.write(`radar: warning: ${warning}\n`);
    return { emulated: given, from: 'flag', warning };
  }
  return { emulated: given, from: 'flag' };
}

/** What a command derived from traffic, said in its output. */
export interface Derived {
  /** The minor the control plane serves: the emulated one when detected. */
  current: string;
  from: 'traffic' | 'flag';
  cluster: string | null;
  /** Set when traffic shows an emulated version (binary newer than the API it serves). */
  emulated?: { binary: string; minor: string; evidence: string };
  /** Set when the flag and the traffic disagree. */
  warning?: string;
}

/**
 * --current / --cluster-version when not given: the minor the control plane serves, from the
 * cluster's own traffic (`radar clusters`): its binary's from the user agents, or the emulated
 * one when requests to APIs that binary adds all get 404. Given, it is checked against the
 * traffic: a mismatch is a warning on stderr, the flag wins.
 */
export async function resolveCurrent(
  store: Store,
  flag: string,
  given: string | undefined,
  cluster: string | undefined,
  w: { from: Date; to: Date },
): Promise<Derived> {
  const all = await clustersWithEmulation(store, cluster, w).then((cs) =>
    cs.filter((c) => c.current !== null),
  );
  const only =
    cluster !== undefined ? all.find((c) => c.cluster === cluster) : all.length === 1 ? all[0] : undefined;
  const seen = new Set(all.map(servedOf));
  const emulation = (c: ClusterWithEmulation | undefined) =>
    c?.emulatedVersion?.status === 'emulated'
      ? {
          emulated: {
            binary: c.emulatedVersion.binary,
            minor: c.emulatedVersion.minor!,
            evidence: emulationEvidence(c.emulatedVersion),
          },
        }
      : {};
  if (given !== undefined) {
    const derived = only ? servedOf(only) : seen.size === 1 ? [...seen][0]! : null;
    const out: Derived = {
      current: given,
      from: 'flag',
      cluster: only?.cluster ?? cluster ?? null,
      ...emulation(only),
    };
    if (derived !== null && minorOf(derived) !== minorOf(given)) {
      const e = emulation(only).emulated;
      const runs = e
        ? `serves ${derived} (binary ${e.binary} emulating it: ${e.evidence})`
        : `runs ${derived} (from its user agents)`;
      out.warning = `${flag} ${given} but the control plane of ${only ? `cluster ${only.cluster}` : 'the clusters in the window'} ${runs}; using ${given}`;
      process.stderr.write(`radar: warning: ${out.warning}\n`);
    }
    return out;
  }
  const served = only ? servedOf(only) : null;
  if (only && served) return { current: served, from: 'traffic', cluster: only.cluster, ...emulation(only) };
  if (cluster === undefined && seen.size === 1 && all.length > 0)
    return { current: [...seen][0]!, from: 'traffic', cluster: null };
  throw new UsageError(
    `${flag} not given and not derivable: ${
      all.length === 0
        ? `no control-plane traffic (kube-apiserver, kube-controller-manager, kube-scheduler user agents) stored${cluster ? ` for cluster ${cluster}` : ''} in the window`
        : `the clusters run different versions (${all.map((c) => `${c.cluster} ${servedOf(c)}`).join(', ')}): pass --cluster or ${flag}`
    }`,
  );
}

/** The line a table/markdown output starts with when the version came from traffic. */
export const derivedLine = (d: Derived): string =>
  d.from !== 'traffic'
    ? ''
    : d.emulated
      ? `Current version ${d.current} derived from traffic${d.cluster ? ` of cluster ${d.cluster}` : ''}: its control plane runs ${d.emulated.binary} emulating ${d.emulated.minor} (${d.emulated.evidence}; pass --current to override).\n`
      : `Current version ${d.current} derived from the control plane's user agents${d.cluster ? ` of cluster ${d.cluster}` : ''} (pass --current to override).\n`;
