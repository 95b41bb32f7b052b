import type { Change } from '@radar/catalog';
import type { alertCandidates, RowOf } from '@radar/store';

/** critical: the API is gone; warning: a known-older client drops fields; needs-verification: version unknown. */
export type AlertSeverity = 'critical' | 'warning' | 'needs-verification';

/** One catalog change an alert is about, with the key that suppresses its repeats. */
export interface AlertChange {
  change: Change['change'];
  group: string;
  version: string;
  kind: string;
  resource: string;
  path?: string;
  since: string;
  details?: Change['details'];
  /** (cluster, client, resource, change): the unit of suppression. */
  key: string;
}

/** One alert: one client on one group/resource of one cluster, with every change it trips over. */
export interface Alert {
  id: string;
  cluster: string;
  clusterVersion: string;
  client: { name: string; version: string; kubeMinor: number | null; userAgents: string[] };
  group: string;
  resource: string;
  apiVersions: string[];
  verbs: string[];
  severity: AlertSeverity;
  changes: AlertChange[];
  requests: number;
  objects: number;
  users: string[];
  namespaces: string[];
  /** Teams from the policy's owner map. */
  owners: string[];
  sampleAuditIds: string[];
  firstSeen: string;
  lastSeen: string;
  summary: string;
  /**
   * Observed drops (from request bodies, docs/field-evidence.md): full updates that wiped a field
   * another write had set, per field, and the objects it happened to. Absent on version-based alerts.
   */
  evidence?: { dropped: { path: string; updates: number }[]; objects: string[] };
  /**
   * The admission guard's own verdict (docs/guard.md): it refused these full updates (denied) or
   * let them through with a warning (warned); fields as it named them (`dropped:<path>`). Absent
   * on other alerts.
   */
  guard?: { verdict: 'denied' | 'warned'; fields: string[] };
}

/** One row of queries/alert_candidates.sql. */
export type CandidateRow = RowOf<typeof alertCandidates>;

/**
 * Noise controls shared with ranking (structurally @radar/ranking's CompiledPolicy): components
 * upgraded in lockstep with the control plane, real versions of clients whose user agent does
 * not tell, and the teams owning the traffic.
 */
export interface ClientPolicy {
  /** The allowlist reason when this traffic is exempt. */
  allowed(userAgents: readonly string[], user: string): string | undefined;
  /** The Kubernetes minor a client really speaks, when an override applies. */
  kubeMinor(client: string, clientVersion: string, user: string): number | undefined;
  owners(namespaces: readonly string[], user: string): string[];
}

/** The outcome of delivering some alerts to one sink. */
export interface DeliveryOutcome {
  alertId: string;
  sink: string;
  /** delivered; failed (transient, retried by later checks); rejected (4xx, not retried). */
  outcome: 'delivered' | 'failed' | 'rejected';
  attempts: number;
  status: number;
  error: string;
}
