import type { Store } from '@radar/store';
import { clientKey, decideRow, type KubeFloor } from './decide.js';
import { RankInputError } from './errors.js';
import { gatherEvidence, withEvidence } from './evidence/index.js';
import { type GuardRow, guardEntries, guardRows, withGuard } from './guard.js';
import { type CompiledPolicy, compilePolicy, EMPTY_POLICY, type Policy } from './policy.js';
import { buildRiskIndex, type RiskIndex } from './risk.js';
import { type CandidateRow, candidateRows, windowActivity } from './rows.js';
import { compareClients, score, severityIndex, worst } from './score.js';
import type { Change, Finding, RankedClient, RankResult, Severity } from './types.js';
import { minorNumber, minorString } from './versions.js';
import { resolveWindow } from './window.js';

export interface RankOptions {
  current: string;
  target: string;
  /** Window length ending at `to` (or now), e.g. '7d'; ignored when `from` is given. */
  since?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  now?: Date | undefined;
  /** One cluster, or all when unset. */
  cluster?: string | undefined;
  policy?: Policy | undefined;
  /** Return an empty result instead of refusing a window without any traffic. */
  allowEmpty?: boolean | undefined;
}

const MAX_SAMPLES = 5;
const MAX_NAMESPACES = 50;

/** Versions and window checked once, shared by rank and the report. */
export interface RankPlan {
  current: number;
  target: number;
  from: Date;
  to: Date;
  cluster: string | undefined;
  index: RiskIndex;
  policy: CompiledPolicy;
  /** Versions proven by field evidence (set by rank once it has read the evidence). */
  kubeFloor?: KubeFloor | undefined;
}

export function planRank(catalog: readonly Change[], opts: RankOptions): RankPlan {
  const current = minorNumber(opts.current, 'current version');
  const target = minorNumber(opts.target, 'target version');
  if (target <= current) {
    throw new RankInputError(
      `target version ${minorString(target)} must be newer than current version ${minorString(current)}`,
    );
  }
  const { from, to } = resolveWindow(opts);
  return {
    current,
    target,
    from,
    to,
    cluster: opts.cluster || undefined,
    index: buildRiskIndex(catalog, current, target),
    policy: compilePolicy(opts.policy ?? EMPTY_POLICY),
  };
}

interface Acc {
  client: RankedClient;
  findings: Map<string, Finding>;
  users: Set<string>;
  namespaces: Set<string>;
  owners: Set<string>;
  kubeMinors: Set<number>;
}

function addAll(target: string[], items: readonly string[], max: number): void {
  for (const s of items) if (target.length < max && !target.includes(s)) target.push(s);
}

/** Turns merged rollup rows into ranked clients: pure, so it is tested without a store. */
export function rankRows(rows: readonly CandidateRow[], plan: RankPlan): RankedClient[] {
  const byClient = new Map<string, Acc>();
  for (const row of rows) {
    const d = decideRow(row, plan.index, plan.policy, plan.kubeFloor);
    if (d.hits.length === 0) continue;
    const key = clientKey(row.client_name, row.client_version);
    let acc = byClient.get(key);
    if (!acc) {
      acc = {
        client: {
          rank: 0,
          client: row.client_name || '(unknown)',
          clientVersion: row.client_version || null,
          kubeVersion: null,
          kubeVersionOverridden: false,
          severity: 'info',
          score: 0,
          requests: 0,
          updates: 0,
          objects: 0,
          lastSeen: row.last_at,
          users: [],
          namespaces: [],
          owners: [],
          findings: [],
        },
        findings: new Map(),
        users: new Set(),
        namespaces: new Set(),
        owners: new Set(),
        kubeMinors: new Set(),
      };
      byClient.set(key, acc);
    }
    const c = acc.client;
    const { requests } = row;
    const owners = plan.policy.owners(row.namespaces, row.username);
    c.requests += requests;
    if (row.verb === 'update') c.updates += requests;
    c.objects += row.objects;
    if (row.last_at > c.lastSeen) c.lastSeen = row.last_at;
    if (d.overridden) c.kubeVersionOverridden = true;
    acc.kubeMinors.add(d.kubeMinor);
    acc.users.add(row.username);
    for (const n of row.namespaces) if (n !== '') acc.namespaces.add(n);
    for (const o of owners) acc.owners.add(o);
    for (const hit of d.hits) {
      c.severity = worst(c.severity, hit.severity);
      const ch = hit.change;
      const fk = [
        ch.change,
        row.api_group,
        row.api_version,
        row.resource,
        ch.path ?? '',
        ch.since,
        row.verb,
      ].join('\u0000');
      let f = acc.findings.get(fk);
      if (!f) {
        f = {
          change: ch.change,
          severity: hit.severity,
          group: row.api_group,
          version: row.api_version,
          resource: row.resource,
          ...(ch.path ? { path: ch.path } : {}),
          since: ch.since,
          verb: row.verb,
          count: 0,
          sampleAuditIds: [],
          owners: [],
        };
        acc.findings.set(fk, f);
      }
      f.severity = worst(f.severity, hit.severity);
      f.count += requests;
      addAll(f.sampleAuditIds, row.sample_ids, MAX_SAMPLES);
      addAll(f.owners, owners, Number.POSITIVE_INFINITY);
    }
  }
  const clients = [...byClient.values()].map((acc) => {
    const c = acc.client;
    const known = [...acc.kubeMinors].filter((m) => m > 0);
    c.kubeVersion = known.length > 0 ? minorString(Math.min(...known)) : null;
    c.users = [...acc.users].sort();
    c.namespaces = [...acc.namespaces].sort().slice(0, MAX_NAMESPACES);
    c.owners = [...acc.owners].sort();
    c.findings = [...acc.findings.values()].sort(
      (a, b) =>
        severityIndex(a.severity) - severityIndex(b.severity) ||
        b.count - a.count ||
        `${a.resource}${a.path ?? ''}`.localeCompare(`${b.resource}${b.path ?? ''}`),
    );
    for (const f of c.findings) f.owners.sort();
    c.score = score(c.severity, c.requests);
    return c;
  });
  clients.sort(compareClients);
  clients.forEach((c, i) => {
    c.rank = i + 1;
  });
  return clients;
}

/**
 * Ranks the clients whose traffic in the window is risky for current -> target. Reads only the
 * audit_daily rollup (queries/rank_candidates.sql). `catalog` is the full change list (builtin
 * plus user CRD catalogs); the upgrade's slice of it is taken here.
 */
export async function rank(store: Store, catalog: readonly Change[], opts: RankOptions): Promise<RankResult> {
  return (await rankWithPlan(store, catalog, opts)).result;
}

/** rank, and the plan it decided with (field evidence included), for the report's daily series. */
export async function rankWithPlan(
  store: Store,
  catalog: readonly Change[],
  opts: RankOptions,
): Promise<{ result: RankResult; plan: RankPlan }> {
  const plan = planRank(catalog, opts);
  const w = {
    from: plan.from,
    to: plan.to,
    cluster: plan.cluster,
    overrideClients: plan.policy.overrideClients,
  };
  if (!opts.allowEmpty) {
    const activity = await windowActivity(store, w);
    if (activity.rows === 0) {
      throw new RankInputError(
        `empty window: no audit events between ${plan.from.toISOString()} and ${plan.to.toISOString()}` +
          `${plan.cluster ? ` in cluster "${plan.cluster}"` : ''}; nothing to rank`,
      );
    }
  }
  const rows = await candidateRows(store, plan.index, w);
  const evidence = await gatherEvidence(store, catalog, plan);
  const guard = await guardRows(store, w);
  const decided: RankPlan = { ...plan, kubeFloor: evidence.floor };
  const clients = withGuard(withEvidence(rankRows(rows, decided), evidence), guard);
  return { result: resultOf(decided, clients, guard), plan: decided };
}

export function resultOf(
  plan: RankPlan,
  clients: RankedClient[],
  guard: readonly GuardRow[] = [],
): RankResult {
  return {
    current: minorString(plan.current),
    target: minorString(plan.target),
    cluster: plan.cluster ?? null,
    window: { from: plan.from.toISOString(), to: plan.to.toISOString() },
    clients,
    guard: guardEntries(guard, clients),
  };
}

export type { Severity };
