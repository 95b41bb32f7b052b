import type { Change } from '@radar/catalog';
import { evidenceDrops, type RowOf, type Store } from '@radar/store';
import { alertBase, union } from './assemble.js';
import { alertChangeOf, type RuleSet } from './rules.js';
import type { Alert, AlertChange, ClientPolicy } from './types.js';

/**
 * Observed data loss (docs/field-evidence.md): a full update that left out a field another write
 * had set, seen in request bodies. Unlike version-based alerts it needs no guess about the
 * client: the field was wiped. Alerted at the first check after it is stored, as critical.
 */
export type DropRow = RowOf<typeof evidenceDrops>;

/** How far back an object's earlier writes are read to know whether a field was set. */
export const DROP_HISTORY_MS = 30 * 86_400_000;
const MAX_OBJECTS = 10;

export async function dropCandidates(
  store: Store,
  rules: RuleSet,
  w: { from: Date; to: Date; minTs: Date; cluster?: string | undefined },
): Promise<DropRow[]> {
  const targets = new Map<string, { object: string; path: string }>();
  for (const [object, changes] of rules.fieldChanges) {
    for (const c of changes) if (c.path) targets.set(`${object}|${c.path}`, { object, path: c.path });
  }
  if (targets.size === 0) return [];
  const list = [...targets.values()];
  return evidenceDrops.run(store, {
    from: w.from,
    to: w.to,
    min_ts: w.minTs,
    history_from: new Date(w.minTs.getTime() - DROP_HISTORY_MS),
    cluster: w.cluster,
    resources: [...new Set(list.map((t) => t.object.slice(t.object.indexOf('/') + 1)))],
    target_paths: [...new Set(list.map((t) => t.path))],
    keys: list.map((t) => `${t.object}|${t.path}`),
    max_objects: MAX_OBJECTS,
  });
}

/** One critical alert per (cluster, client, group/resource) with every field it was seen wiping. */
export function buildDropAlerts(
  rows: readonly DropRow[],
  rules: RuleSet,
  ctx: { clusterVersion: string; windowId: string; policy?: ClientPolicy | undefined },
): Alert[] {
  const groups = new Map<string, DropRow[]>();
  for (const r of rows) {
    // Allowlisted (lockstep) components are exempt here as everywhere.
    if (ctx.policy && r.users.every((u) => ctx.policy!.allowed(r.user_agents, u) !== undefined)) continue;
    const client = `${r.client_name || '(no user agent)'}/${r.client_version || '?'}`;
    const key = `${r.cluster}|${client}|${r.api_group}/${r.resource}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].map(([gk, g]) => toDropAlert(gk, g, rules, ctx));
}

function toDropAlert(
  gk: string,
  rows: DropRow[],
  rules: RuleSet,
  ctx: { clusterVersion: string; windowId: string; policy?: ClientPolicy | undefined },
): Alert {
  const first = rows[0]!;
  const catalog = rules.fieldChanges.get(`${first.api_group}/${first.resource}`) ?? [];
  const changes: AlertChange[] = [];
  for (const r of rows) {
    const c = catalog.find((x) => x.path === r.path);
    if (c) changes.push(dropChange(gk, c));
  }
  const objects = union(rows.map((r) => r.objects)).slice(0, MAX_OBJECTS);
  const alert: Alert = {
    ...alertBase(`${gk}|dropped`, rows, ctx),
    apiVersions: [],
    verbs: ['update'],
    severity: 'critical',
    changes,
    requests: Math.max(...rows.map((r) => r.dropped)),
    objects: objects.length,
    users: union(
      rows.map((r) => r.users),
      10,
    ),
    owners: union(rows.map((r) => ctx.policy?.owners(r.namespaces, r.users[0] ?? '') ?? [])),
    summary: '',
    evidence: { dropped: rows.map((r) => ({ path: r.path, updates: r.dropped })), objects },
  };
  const fields = rows.map((r) => r.path);
  const who = `${first.client_name || '(no user agent)'} ${first.client_version}`.trim();
  alert.summary =
    `${who} wiped ${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ` and ${fields.length - 5} more` : ''} ` +
    `on ${first.api_group || 'core'}/${first.resource} in cluster ${first.cluster} (v${ctx.clusterVersion}): ` +
    `its full updates left out fields another write had set (observed in request bodies; ` +
    `objects: ${objects.join(', ')})`;
  return alert;
}

/** Its own suppression key: a version-based alert on the same change does not hide a drop. */
function dropChange(gk: string, c: Change): AlertChange {
  return alertChangeOf(c, `${gk}|dropped:${c.path ?? ''}`);
}
