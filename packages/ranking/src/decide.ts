import type { CompiledPolicy } from './policy.js';
import { assessRequest, type RiskHit, type RiskIndex } from './risk.js';

/** The key columns of a rank_candidates row, merged or per day. */
export interface RowKey {
  client_name: string;
  client_version: string;
  client_kube_minor: number;
  username: string;
  api_group: string;
  api_version: string;
  resource: string;
  subresource: string;
  verb: string;
  user_agents: string[];
}

export interface RowDecision {
  hits: RiskHit[];
  /** Effective Kubernetes minor (0 = unknown) after a version override. */
  kubeMinor: number;
  overridden: boolean;
}

/** The minor a client (name, user) is proven to know from the fields it sent; 0 when unproven. */
export type KubeFloor = (clientName: string, username: string) => number;

/**
 * One rollup row through the policy then the risk model. Allowlisted traffic yields no hits;
 * a version override replaces what the user agent said before the model looks at it; where
 * neither tells a version, `floor` (field evidence) may prove the client new enough.
 */
export function decideRow(
  row: RowKey,
  idx: RiskIndex,
  policy: CompiledPolicy,
  floor?: KubeFloor,
): RowDecision {
  const override = policy.kubeMinor(row.client_name, row.client_version, row.username);
  const kubeMinor = override ?? row.client_kube_minor;
  const overridden = override !== undefined;
  if (policy.allowed(row.user_agents, row.username) !== undefined) return { hits: [], kubeMinor, overridden };
  const hits = assessRequest(
    {
      group: row.api_group,
      version: row.api_version,
      resource: row.resource,
      subresource: row.subresource,
      verb: row.verb,
      kubeMinor,
      kubeMinorFloor: kubeMinor === 0 && floor ? floor(row.client_name, row.username) : 0,
    },
    idx,
  );
  return { hits, kubeMinor, overridden };
}

export function clientKey(name: string, version: string): string {
  return `${name}\u0000${version}`;
}
