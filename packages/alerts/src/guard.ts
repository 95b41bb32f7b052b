import { alertCandidates, type RowOf, type Store } from '@radar/store';
import { alertBase, union } from './assemble.js';
import { alertChangeOf, type BuildContext, type RuleSet } from './rules.js';
import type { Alert, AlertChange } from './types.js';

/**
 * The admission guard's own verdicts (docs/guard.md): full updates it refused (denied) or let
 * through with a warning (warned), read from the audit events that carry its annotations. A
 * denial means a client's writes are failing now (critical); a warning means the update went
 * through and the field was lost (warning, like a version-based alert). would-deny (audit mode)
 * and undecided are for rank and report, not for paging anyone.
 */
export type GuardRow = RowOf<typeof alertCandidates>;

const MAX_FIELDS = 20;

export function guardCandidates(
  store: Store,
  w: { from: Date; to: Date; minTs: Date; cluster?: string | undefined },
): Promise<GuardRow[]> {
  // The alert candidates' query over the same window, switched to the guard's verdicts.
  return alertCandidates.run(store, {
    from: w.from,
    to: w.to,
    min_ts: w.minTs,
    cluster: w.cluster,
    max_client_minor: 0,
    field_resources: [],
    removed: [],
    guard: 1,
  });
}

/** One alert per (cluster, client, group/resource, verdict), with every field the guard named. */
export function buildGuardAlerts(rows: readonly GuardRow[], rules: RuleSet, ctx: BuildContext): Alert[] {
  const groups = new Map<string, GuardRow[]>();
  for (const r of rows) {
    // Allowlisted (lockstep) components are exempt here as everywhere.
    if (ctx.policy?.allowed(r.user_agents, r.username) !== undefined) continue;
    const gk = `${r.cluster}|${r.client_name || '(no user agent)'}/${r.client_version || '?'}|${r.api_group}/${r.resource}`;
    const k = `${gk}|${r.verdict}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups].map(([k, g]) => toGuardAlert(k, g, rules, ctx));
}

function toGuardAlert(k: string, rows: GuardRow[], rules: RuleSet, ctx: BuildContext): Alert {
  const first = rows[0]!;
  const verdict = first.verdict === 'denied' ? 'denied' : 'warned';
  const fields = union(
    rows.map((r) => r.fields.split(',')),
    MAX_FIELDS,
  );
  const updates = rows.reduce((n, r) => n + r.requests, 0);
  const alert: Alert = {
    ...alertBase(`${k}|guard`, rows, ctx),
    apiVersions: union(rows.map((r) => [r.api_version])),
    verbs: ['update'],
    severity: verdict === 'denied' ? 'critical' : 'warning',
    // A verdict without fields (a hostile or cut annotation) still needs a key to be alerted once.
    changes: (fields.length ? fields : ['']).map((f) => guardChange(k, f, first, rules)),
    requests: updates,
    objects: Math.max(...rows.map((r) => r.objects)),
    users: union(
      rows.map((r) => [r.username]),
      10,
    ),
    owners: union(rows.map((r) => ctx.policy?.owners(r.namespaces, r.username) ?? [])),
    summary: '',
    guard: { verdict, fields },
  };
  alert.summary = guardSummary(alert);
  return alert;
}

/** The catalog's change for a field the guard named (its own key), or the guard's words for it. */
function guardChange(k: string, field: string, r: GuardRow, rules: RuleSet): AlertChange {
  const kind = field.slice(0, field.indexOf(':'));
  const path = field.slice(field.indexOf(':') + 1);
  const key = `${k}|guard:${field}`;
  const c = rules.fieldChanges.get(`${r.api_group}/${r.resource}`)?.find((x) => x.path === path);
  if (c) return alertChangeOf(c, key);
  return {
    change: kind === 'reset' ? 'default-changed' : 'field-added',
    group: r.api_group,
    version: '*',
    kind: '',
    resource: r.resource,
    ...(path ? { path } : {}),
    since: '',
    key,
  };
}

/**
 * One line in the words: "blocked 12 updates by deploy-bot 1.16 on ingresses", then
 * where, which fields and who. The client's version is its Kubernetes minor where known (what
 * the guard judged), else what its user agent said.
 */
export function guardSummary(a: Alert): string {
  const g = a.guard!;
  const version = a.client.kubeMinor ? `1.${a.client.kubeMinor}` : a.client.version || 'of unknown version';
  const who = `${a.client.name || '(no user agent)'} ${version}`;
  const n = `${a.requests} update${a.requests === 1 ? '' : 's'}`;
  const shown = a.changes.map((c) => c.key.slice(c.key.lastIndexOf('|guard:') + 7)).filter((f) => f !== '');
  const fields = shown.length
    ? shown.slice(0, 5).join(', ') + (shown.length > 5 ? ` and ${shown.length - 5} more` : '')
    : 'fields not named';
  const what = g.verdict === 'denied' ? `blocked ${n}` : `warned on ${n} (allowed: the fields were lost)`;
  return (
    `${what} by ${who} on ${a.resource} (${a.group || 'core'}, cluster ${a.cluster}, v${a.clusterVersion}): ` +
    `${fields}; user${a.users.length === 1 ? '' : 's'} ${a.users.join(', ') || '(none)'}`
  );
}
