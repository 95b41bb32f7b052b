import { guardVerdicts, type RowOf, type Store } from '@radar/store';
import { clientKey } from './decide.js';
import type { Finding, GuardCounts, GuardEntry, RankedClient } from './types.js';
import { minorString } from './versions.js';

/** One row of queries/guard_verdicts.sql (the guard_verdicts_hourly rollup, migration 0051). */
export type GuardRow = RowOf<typeof guardVerdicts>;

const MAX_FIELDS = 10;
const MAX_USERS = 10;
const MAX_SAMPLES = 5;

export function guardRows(
  store: Store,
  w: { from: Date; to: Date; cluster?: string | null | undefined },
): Promise<GuardRow[]> {
  return guardVerdicts.run(store, { from: w.from, to: w.to, cluster: w.cluster });
}

export const noVerdicts = (): GuardCounts => ({ denied: 0, warned: 0, wouldDeny: 0, undecided: 0, other: 0 });

function add(c: GuardCounts, verdict: string, n: number): void {
  if (verdict === 'denied') c.denied += n;
  else if (verdict === 'warned') c.warned += n;
  else if (verdict === 'would-deny') c.wouldDeny += n;
  else if (verdict === 'undecided') c.undecided += n;
  else c.other += n;
}

/** `dropped:<path>,reset:<path>` -> the paths (the kind is in the entry itself). */
export const guardPaths = (fields: string): string[] =>
  fields
    .split(',')
    .map((f) => f.slice(f.indexOf(':') + 1))
    .filter((p) => p !== '');

/**
 * The guard's verdicts per client, version and group/version/resource, most denied first:
 * every client the guard judged, ranked or not (a client the ranking does not list for this
 * upgrade, e.g. one judged on fields of the previous upgrade, still shows here).
 */
export function guardEntries(rows: readonly GuardRow[], ranked: readonly RankedClient[]): GuardEntry[] {
  const rankedKeys = new Set(
    ranked.map((c) => clientKey(c.client === '(unknown)' ? '' : c.client, c.clientVersion ?? '')),
  );
  const byKey = new Map<string, GuardEntry>();
  for (const r of rows) {
    const k = [r.client_name, r.client_version, r.api_group, r.api_version, r.resource].join('\u0000');
    let e = byKey.get(k);
    if (!e) {
      e = {
        client: r.client_name || '(unknown)',
        clientVersion: r.client_version || null,
        kubeVersion: r.client_kube_minor > 0 ? minorString(r.client_kube_minor) : null,
        ranked: rankedKeys.has(clientKey(r.client_name, r.client_version)),
        group: r.api_group,
        version: r.api_version,
        resource: r.resource,
        ...noVerdicts(),
        objects: 0,
        fields: [],
        users: [],
        sampleAuditIds: [],
        lastSeen: r.last_at,
      };
      byKey.set(k, e);
    }
    add(e, r.verdict, r.requests);
    // Rows split an object's requests by user, verdict and fields: the max never double counts.
    e.objects = Math.max(e.objects, r.objects);
    if (r.last_at > e.lastSeen) e.lastSeen = r.last_at;
    union(
      e.fields,
      r.fields.split(',').filter((f) => f !== ''),
      MAX_FIELDS,
    );
    union(e.users, [r.username], MAX_USERS);
    union(e.sampleAuditIds, r.sample_ids, MAX_SAMPLES);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      b.denied - a.denied ||
      b.warned - a.warned ||
      b.wouldDeny - a.wouldDeny ||
      `${a.client}\u0000${a.clientVersion}\u0000${a.resource}`.localeCompare(
        `${b.client}\u0000${b.clientVersion}\u0000${b.resource}`,
      ),
  );
}

/**
 * Each ranked client with its verdict counts over the window, and each of its update findings
 * with the verdicts on the same group/version/resource that named the finding's field (all
 * verdicts there for a finding without a field). Clients and findings the guard never judged
 * are left as they are.
 */
export function withGuard(clients: RankedClient[], rows: readonly GuardRow[]): RankedClient[] {
  const byClient = new Map<string, GuardRow[]>();
  for (const r of rows) {
    const k = clientKey(r.client_name, r.client_version);
    byClient.set(k, [...(byClient.get(k) ?? []), r]);
  }
  for (const c of clients) {
    const mine = byClient.get(clientKey(c.client === '(unknown)' ? '' : c.client, c.clientVersion ?? ''));
    if (!mine) continue;
    c.guard = noVerdicts();
    for (const r of mine) add(c.guard, r.verdict, r.requests);
    for (const f of c.findings) {
      const counts = findingVerdicts(f, mine);
      if (counts) f.guard = counts;
    }
  }
  return clients;
}

function findingVerdicts(f: Finding, rows: readonly GuardRow[]): GuardCounts | undefined {
  if (f.verb !== 'update') return undefined;
  let out: GuardCounts | undefined;
  for (const r of rows) {
    if (r.api_group !== f.group || r.api_version !== f.version || r.resource !== f.resource) continue;
    if (f.path && !guardPaths(r.fields).includes(f.path)) continue;
    out ??= noVerdicts();
    add(out, r.verdict, r.requests);
  }
  return out;
}

/** "DENIED 12, warned 3" for tables; '' when the guard judged nothing. */
export function guardLabel(c: GuardCounts | undefined): string {
  if (!c) return '';
  const parts = [
    c.denied ? `DENIED ${c.denied}` : '',
    c.warned ? `warned ${c.warned}` : '',
    c.wouldDeny ? `would-deny ${c.wouldDeny}` : '',
    c.undecided ? `undecided ${c.undecided}` : '',
    c.other ? `other ${c.other}` : '',
  ].filter((p) => p !== '');
  return parts.join(', ');
}

function union(target: string[], items: readonly string[], max: number): void {
  for (const s of items) if (target.length < max && s !== '' && !target.includes(s)) target.push(s);
}
