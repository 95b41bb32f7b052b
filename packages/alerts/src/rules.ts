import type { Change } from '@radar/catalog';
import { alertBase, union } from './assemble.js';
import type { Alert, AlertChange, AlertSeverity, CandidateRow, ClientPolicy } from './types.js';

/** Catalog changes that can hurt on a cluster at one minor, indexed the way audit rows are matched. */
export interface RuleSet {
  clusterMinor: number;
  /** `group/resource` -> field-added / default-changed at or below the cluster minor. */
  fieldChanges: Map<string, Change[]>;
  /** `group/version/resource` -> gvk-removed at or below the cluster minor. */
  removed: Map<string, Change[]>;
}

/** Catalog `since` values are `1.NN`; anything else is a catalog bug, not user input. */
export function sinceMinor(since: string): number {
  const m = /^v?1\.(\d+)$/.exec(since);
  if (!m) throw new Error(`catalog change has a bad since value: ${JSON.stringify(since)}`);
  return Number(m[1]);
}

export function ruleSet(catalog: readonly Change[], clusterMinor: number): RuleSet {
  const rules: RuleSet = { clusterMinor, fieldChanges: new Map(), removed: new Map() };
  // A field removed again by the cluster's version (Service spec.topologyKeys: 1.17 -> 1.22) can
  // no longer be dropped by anyone.
  const goneAt = new Map<string, number>();
  for (const c of catalog) {
    if (c.change !== 'field-removed' || !c.path || sinceMinor(c.since) > clusterMinor) continue;
    const k = `${c.group}/${c.resource}|${c.path}`;
    goneAt.set(k, Math.max(goneAt.get(k) ?? 0, sinceMinor(c.since)));
  }
  for (const c of catalog) {
    const since = sinceMinor(c.since);
    if (since > clusterMinor) continue;
    if (c.change === 'field-added' || c.change === 'default-changed') {
      const gone = c.path ? goneAt.get(`${c.group}/${c.resource}|${c.path}`) : undefined;
      if (gone !== undefined && gone > since) continue;
      push(rules.fieldChanges, `${c.group}/${c.resource}`, c);
    } else if (c.change === 'gvk-removed') {
      push(rules.removed, `${c.group}/${c.version}/${c.resource}`, c);
    }
  }
  return rules;
}

/** The parameters that let SQL pre-filter rows; exact per-client matching happens in buildAlerts. */
export function candidateParams(rules: RuleSet): { field_resources: string[]; removed: string[] } {
  return { field_resources: [...rules.fieldChanges.keys()], removed: [...rules.removed.keys()] };
}

export interface BuildContext {
  clusterVersion: string;
  /** Makes alert ids unique per check window, so a re-run of a crashed check gets new ids. */
  windowId: string;
  /** Owner map (the rows were already through applyPolicy). */
  policy?: ClientPolicy | undefined;
}

export interface Allowlisted {
  client: string;
  user: string;
  reason: string;
  requests: number;
}

/**
 * The policy step before matching: drops allowlisted traffic (lockstep components) and replaces
 * the user agent's Kubernetes minor where a version override applies.
 */
export function applyPolicy(
  rows: readonly CandidateRow[],
  policy: ClientPolicy | undefined,
): { rows: CandidateRow[]; allowlisted: Allowlisted[] } {
  if (!policy) return { rows: [...rows], allowlisted: [] };
  const kept: CandidateRow[] = [];
  const allowlisted: Allowlisted[] = [];
  for (const row of rows) {
    const reason = policy.allowed(row.user_agents, row.username);
    if (reason !== undefined) {
      allowlisted.push({ client: clientId(row), user: row.username, reason, requests: row.requests });
      continue;
    }
    const minor = policy.kubeMinor(row.client_name, row.client_version, row.username);
    kept.push(minor === undefined ? row : { ...row, client_kube_minor: minor });
  }
  return { rows: kept, allowlisted };
}

/**
 * Matches candidate rows against the rules and groups them into one alert per
 * (cluster, client, group/resource). A row counts for a field change when it is a full update by a
 * client older than the change (or of unknown version, minor 0); any request on a removed
 * group/version counts, whatever the client's version.
 */
export function buildAlerts(rows: readonly CandidateRow[], rules: RuleSet, ctx: BuildContext): Alert[] {
  const groups = new Map<string, { rows: CandidateRow[]; changes: Map<string, AlertChange> }>();
  for (const row of rows) {
    const matched = matchRow(row, rules);
    if (matched.length === 0) continue;
    const gk = groupKey(row);
    let g = groups.get(gk);
    if (!g) {
      g = { rows: [], changes: new Map() };
      groups.set(gk, g);
    }
    g.rows.push(row);
    for (const c of matched) {
      const ac = toAlertChange(c, row);
      g.changes.set(ac.key, ac);
    }
  }
  const alerts: Alert[] = [];
  for (const [gk, g] of groups) alerts.push(toAlert(gk, g.rows, [...g.changes.values()], ctx));
  return alerts.sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || b.requests - a.requests,
  );
}

function matchRow(row: CandidateRow, rules: RuleSet): Change[] {
  const out: Change[] = [];
  if (row.full_update && row.client_kube_minor < rules.clusterMinor) {
    for (const c of rules.fieldChanges.get(`${row.api_group}/${row.resource}`) ?? []) {
      // Unknown version (0): every change up to the cluster may apply, so it needs verification.
      if (row.client_kube_minor === 0 || sinceMinor(c.since) > row.client_kube_minor) out.push(c);
    }
  }
  out.push(...(rules.removed.get(`${row.api_group}/${row.api_version}/${row.resource}`) ?? []));
  return out;
}

function clientId(row: CandidateRow): string {
  return `${row.client_name || '(no user agent)'}/${row.client_version || '?'}`;
}

function groupKey(row: CandidateRow): string {
  return `${row.cluster}|${clientId(row)}|${row.api_group}/${row.resource}`;
}

function toAlertChange(c: Change, row: CandidateRow): AlertChange {
  // Field changes are per group/resource whatever version the client called; removals are per version.
  const version = c.change === 'gvk-removed' ? c.version : '*';
  return alertChangeOf(c, `${groupKey(row)}|${c.change}:${version}:${c.path ?? ''}:${c.since}`);
}

/** A catalog change as an alert shows it, with the key that suppresses its repeats. */
export function alertChangeOf(c: Change, key: string): AlertChange {
  return {
    change: c.change,
    group: c.group,
    version: c.version,
    kind: c.kind,
    resource: c.resource,
    ...(c.path !== undefined ? { path: c.path } : {}),
    since: c.since,
    ...(c.details !== undefined ? { details: c.details } : {}),
    key,
  };
}

function toAlert(gk: string, rows: CandidateRow[], changes: AlertChange[], ctx: BuildContext): Alert {
  const first = rows[0]!;
  const unknown = first.client_kube_minor === 0;
  const severity = severityOf(changes, unknown);
  changes.sort((a, b) => sinceMinor(a.since) - sinceMinor(b.since) || a.key.localeCompare(b.key));
  const alert: Alert = {
    ...alertBase(gk, rows, ctx),
    apiVersions: union(rows.map((r) => [r.api_version])),
    verbs: union(rows.map((r) => [r.verb])),
    severity,
    changes,
    requests: rows.reduce((n, r) => n + r.requests, 0),
    // Rows split an object's requests by version/verb; the max is a lower bound that never double counts.
    objects: Math.max(...rows.map((r) => r.objects)),
    owners: union(rows.map((r) => ctx.policy?.owners(r.namespaces, r.username) ?? [])),
    users: union(
      rows.map((r) => [r.username]),
      10,
    ),
    summary: '',
  };
  alert.summary = summarize(alert);
  return alert;
}

/** One line a human reads in Slack or an Alertmanager annotation. */
export function summarize(a: Alert): string {
  const who = `${a.client.name || '(no user agent)'} ${a.client.version || ''}`.trim();
  const where = `${a.group || 'core'}/${a.resource} in cluster ${a.cluster} (v${a.clusterVersion})`;
  const removed = a.changes.filter((c) => c.change === 'gvk-removed');
  const fields = a.changes.filter((c) => c.change !== 'gvk-removed');
  const parts: string[] = [];
  if (removed.length > 0) {
    parts.push(
      `calls ${removed.map((c) => `${c.group || 'core'}/${c.version} (removed in ${c.since})`).join(', ')}`,
    );
  }
  if (fields.length > 0) {
    const list = fields
      .slice(0, 5)
      .map((c) => `${c.path ?? c.resource} (${c.change} ${c.since})`)
      .join(', ');
    const more = fields.length > 5 ? ` and ${fields.length - 5} more` : '';
    parts.push(
      a.client.kubeMinor === null
        ? `sends full updates with an unknown client version: verify it knows ${list}${more}`
        : `sends full updates from client 1.${a.client.kubeMinor}, older than ${list}${more}`,
    );
  }
  return `${who} on ${where}: ${parts.join('; ')} (${a.requests} requests, ${a.objects} objects)`;
}

/** A removed API breaks whatever the client; otherwise an unknown version needs a human to check. */
export function severityOf(changes: readonly AlertChange[], unknownVersion: boolean): AlertSeverity {
  if (changes.some((c) => c.change === 'gvk-removed')) return 'critical';
  return unknownVersion ? 'needs-verification' : 'warning';
}

export function severityRank(s: AlertSeverity): number {
  return s === 'critical' ? 0 : s === 'warning' ? 1 : 2;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
