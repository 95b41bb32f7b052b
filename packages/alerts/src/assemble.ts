import { createHash } from 'node:crypto';
import type { Alert } from './types.js';

/** What every alert's rows carry, whichever query found them (candidates, drops, guard verdicts). */
export interface AlertRowBase {
  cluster: string;
  client_name: string;
  client_version: string;
  client_kube_minor: number;
  api_group: string;
  resource: string;
  user_agents: string[];
  namespaces: string[];
  sample_ids: string[];
  first_seen: string;
  last_seen: string;
}

/** The distinct non-empty strings of the lists, sorted, at most `max`. */
export function union(lists: readonly (readonly string[])[], max = Number.POSITIVE_INFINITY): string[] {
  return [...new Set(lists.flat().filter((x) => x !== ''))].sort().slice(0, max);
}

/**
 * The fields of an alert that come from its rows the same way for every kind: identity (a hash
 * of its key and the check window, so a re-run of the same window gives the same id), client,
 * object kind, where and when it was seen.
 */
export function alertBase(
  idKey: string,
  rows: readonly AlertRowBase[],
  ctx: { clusterVersion: string; windowId: string },
): Pick<
  Alert,
  | 'id'
  | 'cluster'
  | 'clusterVersion'
  | 'client'
  | 'group'
  | 'resource'
  | 'namespaces'
  | 'sampleAuditIds'
  | 'firstSeen'
  | 'lastSeen'
> {
  const first = rows[0]!;
  return {
    id: createHash('sha256').update(`${idKey}|${ctx.windowId}`).digest('hex').slice(0, 24),
    cluster: first.cluster,
    clusterVersion: ctx.clusterVersion,
    client: {
      name: first.client_name,
      version: first.client_version,
      kubeMinor: first.client_kube_minor === 0 ? null : first.client_kube_minor,
      userAgents: union(
        rows.map((r) => r.user_agents),
        5,
      ),
    },
    group: first.api_group,
    resource: first.resource,
    namespaces: union(
      rows.map((r) => r.namespaces),
      10,
    ),
    sampleAuditIds: union(
      rows.map((r) => r.sample_ids),
      5,
    ),
    firstSeen: rows.map((r) => r.first_seen).sort()[0]!,
    lastSeen: rows
      .map((r) => r.last_seen)
      .sort()
      .at(-1)!,
  };
}
