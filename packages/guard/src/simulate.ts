import type { CompiledGuardPolicy, Mode } from './policy.js';
import { type RuleSet, resourceKey } from './rules.js';
import { judgeUser, type UserTable } from './users.js';

/** A row of queries/guard_simulate.sql. */
export interface StoredUpdates {
  username: string;
  user_groups: string[];
  namespace: string;
  api_group: string;
  api_version: string;
  resource: string;
  client_name: string;
  client_version: string;
  client_kube_minor: number;
  updates: number;
  /** Updates whose body's field paths were recorded. */
  with_body: number;
  /** Per watched path (same order as the query's `paths`): recorded bodies lacking it. */
  without_path: number[];
}

export interface SimulatedClient {
  username: string;
  client: string;
  clientVersion: string;
  clientKubeMinor: number;
  group: string;
  version: string;
  resource: string;
  /** What the guard would do with these updates when they drop or reset a field. */
  verdict: Mode | 'allow-listed';
  updates: number;
  withBody: number;
  /** Watched fields this user is suspect for, and how many recorded bodies lacked each. */
  fields: { path: string; since: string; bodiesWithoutField: number }[];
  namespaces: string[];
}

/**
 * Stored full updates through the same decision as the live guard: for each watched field of the
 * resource, would this user be suspect (judgeUser over the learned table), and in which mode. Only
 * users suspect for at least one field are listed; the bodies' field paths (where recorded) say
 * how often the field was actually left out.
 */
export function simulate(
  rows: readonly StoredUpdates[],
  rules: RuleSet,
  table: UserTable,
  policy: CompiledGuardPolicy,
): SimulatedClient[] {
  const pathIndex = new Map(rules.paths.map((p, i) => [p, i]));
  const out = new Map<string, SimulatedClient>();
  for (const r of rows) {
    const list = rules.byResource.get(resourceKey(r.api_group, r.api_version, r.resource)) ?? [];
    const subject = {
      username: r.username,
      groups: r.user_groups,
      namespace: r.namespace,
      group: r.api_group,
      resource: r.resource,
    };
    const fields = list
      .filter((rule) => judgeUser(table, r.username, r.api_group, r.resource, rule.path, rule.sinceNumber))
      .map((rule) => ({
        path: rule.path,
        since: rule.since,
        bodiesWithoutField: Number(r.without_path[pathIndex.get(rule.path) ?? -1] ?? 0),
      }));
    if (fields.length === 0) continue;
    const verdict = policy.allowed(subject) !== undefined ? 'allow-listed' : policy.modeFor(subject);
    const key = [
      r.username,
      r.client_name,
      r.client_version,
      r.api_group,
      r.api_version,
      r.resource,
      verdict,
    ].join('|');
    let c = out.get(key);
    if (!c) {
      c = {
        username: r.username,
        client: r.client_name,
        clientVersion: r.client_version,
        clientKubeMinor: Number(r.client_kube_minor),
        group: r.api_group,
        version: r.api_version,
        resource: r.resource,
        verdict,
        updates: 0,
        withBody: 0,
        fields: fields.map((f) => ({ ...f, bodiesWithoutField: 0 })),
        namespaces: [],
      };
      out.set(key, c);
    }
    c.updates += Number(r.updates);
    c.withBody += Number(r.with_body);
    for (const f of fields) {
      const mine = c.fields.find((x) => x.path === f.path);
      if (mine) mine.bodiesWithoutField += f.bodiesWithoutField;
      else c.fields.push(f);
    }
    if (c.namespaces.length < 20 && !c.namespaces.includes(r.namespace)) c.namespaces.push(r.namespace);
  }
  return [...out.values()].sort((a, b) => b.updates - a.updates || a.username.localeCompare(b.username));
}
