import type { Change } from './changes.js';
import { minorNumber, minorText } from './version.js';

/**
 * A group/version/resource a kube-apiserver binary serves by default from minor `since`. From
 * the built-in catalog's `gvk-added` records only (a user's CRDs are served by whoever installs
 * them): GA versions; betas added before 1.24 (beta APIs new from 1.24 are off by default,
 * KEP-3136: even where one was enabled by exception it is not counted, so the detection can miss
 * evidence but never invents it); alpha never (off by default).
 */
export interface DefaultServed {
  group: string;
  version: string;
  resource: string;
  since: number;
  /** A minor that stopped serving it (gvk-removed), if any. */
  removedIn?: number;
}

const BETA_OFF_BY_DEFAULT_FROM = 24;
/** How far back --emulated-version reaches (KEP-4330: at most three minors below the binary). */
export const EMULATION_REACH = 3;

export const gvrKey = (d: { group: string; version: string; resource: string }) =>
  `${d.group}/${d.version}/${d.resource}`;

export function defaultServed(catalog: readonly Change[]): DefaultServed[] {
  const removed = new Map<string, number>();
  for (const c of catalog) if (c.change === 'gvk-removed') removed.set(gvrKey(c), minorNumber(c.since));
  const out = new Map<string, DefaultServed>();
  for (const c of catalog) {
    if (c.change !== 'gvk-added' || /alpha/.test(c.version)) continue;
    const since = minorNumber(c.since);
    if (/beta/.test(c.version) && since >= BETA_OFF_BY_DEFAULT_FROM) continue;
    const key = gvrKey(c);
    const r = removed.get(key);
    out.set(key, {
      group: c.group,
      version: c.version,
      resource: c.resource,
      since,
      ...(r !== undefined && r > since ? { removedIn: r } : {}),
    });
  }
  return [...out.values()].sort((a, b) => a.since - b.since || gvrKey(a).localeCompare(gvrKey(b)));
}

/**
 * What traffic can say about a binary of minor `binary`: the default-served APIs it added within
 * emulation's reach, (binary - 3, binary], and still serves. An emulated minor below `since`
 * does not serve them; one at or above does.
 */
export const emulationProbes = (served: readonly DefaultServed[], binary: number): DefaultServed[] =>
  served.filter(
    (d) =>
      d.since > binary - EMULATION_REACH &&
      d.since <= binary &&
      (d.removedIn === undefined || d.removedIn > binary),
  );

/** One row of queries/clusters_emulation.sql. */
export interface EmulationRow {
  cluster: string;
  api_group: string;
  api_version: string;
  resource: string;
  answered: number;
  not_found: number;
  collection: number;
  succeeded: number;
  sample_ids: string[];
}

export interface EmulationEvidence {
  /** 'networking.k8s.io/v1' (core: 'v1'). */
  gv: string;
  resource: string;
  addedIn: string;
  notFound: number;
  succeeded: number;
  sampleAuditIds: string[];
  /** What it proves: the emulated minor is below addedIn, or at least addedIn. */
  proves: 'below' | 'at-least';
}

export interface EmulatedVersion {
  /**
   * emulated: the API served is an older minor than the binary's; not-emulated: traffic proves the
   * binary's own minor; unknown: no request to an API that would tell; conflicting: the evidence
   * disagrees (an API disabled with --runtime-config also answers 404).
   */
  status: 'emulated' | 'not-emulated' | 'unknown' | 'conflicting';
  /** The control plane's minor from its user agents (the binary). */
  binary: string;
  /** The minor it serves: the highest consistent with the evidence; null unless emulated/not-emulated. */
  minor: string | null;
  atLeast: string | null;
  atMost: string | null;
  evidence: EmulationEvidence[];
}

const gvOf = (group: string, version: string) => (group ? `${group}/${version}` : version);

/**
 * The emulated version from the answers to the probes: a probe added in s with list/watch
 * requests, every answered request a 404 and none 2xx, proves the served minor below s; any 2xx
 * proves it at least s. Probes with neither (no requests, or other answers) say nothing.
 */
export function detectEmulation(
  binary: number,
  probes: readonly DefaultServed[],
  rows: readonly EmulationRow[],
): EmulatedVersion {
  const since = new Map(probes.map((p) => [gvrKey(p), p.since]));
  let low = -1;
  let high = Number.POSITIVE_INFINITY;
  const evidence: EmulationEvidence[] = [];
  for (const r of rows) {
    const s = since.get(`${r.api_group}/${r.api_version}/${r.resource}`);
    if (s === undefined) continue;
    const base = {
      gv: gvOf(r.api_group, r.api_version),
      resource: r.resource,
      addedIn: minorText(s),
      notFound: Number(r.not_found),
      succeeded: Number(r.succeeded),
      sampleAuditIds: [...r.sample_ids].sort().slice(0, 5),
    };
    if (Number(r.succeeded) > 0) {
      low = Math.max(low, s);
      evidence.push({ ...base, proves: 'at-least' });
    } else if (Number(r.collection) > 0 && Number(r.not_found) === Number(r.answered)) {
      high = Math.min(high, s - 1);
      evidence.push({ ...base, proves: 'below' });
    }
  }
  evidence.sort((a, b) => a.addedIn.localeCompare(b.addedIn) || a.gv.localeCompare(b.gv));
  const out = {
    binary: minorText(binary),
    atLeast: low >= 0 ? minorText(low) : null,
    atMost: Number.isFinite(high) ? minorText(high) : null,
    evidence,
  };
  if (low > high) return { status: 'conflicting', minor: null, ...out };
  if (Number.isFinite(high)) return { status: 'emulated', minor: minorText(high), ...out };
  if (low === binary) return { status: 'not-emulated', minor: minorText(binary), ...out };
  return { status: 'unknown', minor: null, ...out };
}
