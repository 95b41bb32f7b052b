import {
  alertList,
  alertPending,
  alertRecentKeys,
  alertWatermark,
  chTime,
  insertRows,
  type RowOf,
  type Store,
} from '@radar/store';
import type { Alert, DeliveryOutcome } from './types.js';

/** The ingested_at the scope has been checked up to, or null when it never was. */
export async function readWatermark(store: Store, scope: string): Promise<Date | null> {
  const [row] = await alertWatermark.run(store, { scope });
  return row && row.checked > 0 ? new Date(row.watermark) : null;
}

export async function writeWatermark(
  store: Store,
  scope: string,
  watermark: Date,
  clusterVersion: string,
): Promise<void> {
  await insertRows(store, 'alert_watermarks', [
    { scope, watermark: chTime(watermark), cluster_version: clusterVersion, updated_at: chTime(new Date()) },
  ]);
}

/** The subset of keys alerted after `since`. */
export async function recentKeys(store: Store, keys: string[], since: Date): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await alertRecentKeys.run(store, { keys, since });
  return new Set(rows.map((r) => r.key));
}

/** Writes alerts to the outbox before any delivery is tried. */
export async function recordAlerts(
  store: Store,
  scope: string,
  alerts: readonly Alert[],
  sinks: readonly string[],
  now: Date,
): Promise<void> {
  await insertRows(
    store,
    'alerts',
    alerts.map((a) => ({
      alert_id: a.id,
      created_at: chTime(now),
      scope,
      cluster: a.cluster,
      cluster_version: a.clusterVersion,
      client_name: a.client.name,
      client_version: a.client.version,
      client_kube_minor: a.client.kubeMinor ?? 0,
      api_group: a.group,
      resource: a.resource,
      severity: a.severity,
      requests: a.requests,
      change_keys: a.changes.map((c) => c.key),
      sinks,
      payload: JSON.stringify(a),
    })),
  );
}

export interface PendingDelivery {
  alert: Alert;
  sink: string;
  tries: number;
}

/** Outbox entries (alert, sink) created after `since` that still need a delivery. */
export async function pendingDeliveries(
  store: Store,
  sinks: readonly string[],
  since: Date,
  limit = 10_000,
): Promise<PendingDelivery[]> {
  if (sinks.length === 0) return [];
  const rows = await alertPending.run(store, { sinks, since, limit });
  return rows.map((r) => ({ alert: JSON.parse(r.payload) as Alert, sink: r.sink, tries: r.tries }));
}

export async function recordDeliveries(
  store: Store,
  outcomes: readonly DeliveryOutcome[],
  at: Date,
): Promise<void> {
  await insertRows(
    store,
    'alert_deliveries',
    outcomes.map((o) => ({
      alert_id: o.alertId,
      sink: o.sink,
      outcome: o.outcome,
      attempts: o.attempts,
      status_code: o.status,
      error: o.error.slice(0, 2000),
      at: chTime(at),
    })),
  );
}

export type AlertListRow = RowOf<typeof alertList>;

/** Recent alerts with their latest delivery outcome per sink, newest first. */
export async function listAlerts(
  store: Store,
  opts: { since: Date; cluster?: string | undefined; limit?: number },
): Promise<AlertListRow[]> {
  return alertList.run(store, { since: opts.since, cluster: opts.cluster, limit: opts.limit ?? 1000 });
}
