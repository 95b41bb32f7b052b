import { rank, saveRankSnapshot, snapshotKey } from '../../packages/ranking/src/index.js';
import { events, TEST_CATALOG } from '../../packages/ranking/src/testing.js';
import { insertRows, type Store } from '../../packages/store/src/index.js';

/**
 * What the dashboard shows, as the services store it: audit events of the last days (removed APIs
 * with the apiserver's removed_release annotation, old full updates, another cluster), hourly rank
 * snapshots of 1.22 -> 1.25 over all clusters, two post-upgrade alerts and their deliveries.
 */
export async function fillDashboardStore(store: Store, NOW: Date): Promise<void> {
  const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

  // Traffic of the last days: a removed API (batch/v1beta1 cronjobs, removed in 1.25), old full
  // updates, and a client in another cluster; removed_release as the apiserver annotates it.
  const rows = [
    ...events('cron', 30, {
      client: 'legacy-cron',
      kube: 21,
      verb: 'list',
      group: 'batch',
      version: 'v1beta1',
      resource: 'cronjobs',
      ts: hoursAgo(20),
    }).map((r) => ({ ...r, removed_release: '1.25', deprecated: 1 })),
    ...events('ing', 12, {
      client: 'old-ingress',
      kube: 18,
      verb: 'get',
      group: 'extensions',
      version: 'v1beta1',
      resource: 'ingresses',
      ts: hoursAgo(30),
    }).map((r) => ({ ...r, removed_release: '1.22', deprecated: 1 })),
    // Removed only in 1.26: not a problem for a 1.25 target.
    ...events('later', 9, {
      client: 'later-removed',
      kube: 23,
      verb: 'list',
      group: 'flowcontrol.apiserver.k8s.io',
      version: 'v1beta3',
      resource: 'flowschemas',
      ts: hoursAgo(10),
    }).map((r) => ({ ...r, removed_release: '1.32', deprecated: 1 })),
    ...events(
      'op',
      40,
      {
        client: 'old-operator',
        kube: 21,
        verb: 'update',
        group: 'apps',
        version: 'v1',
        resource: 'deployments',
        ts: hoursAgo(5),
      },
      4,
    ),
    ...events('stg', 5, {
      client: 'staging-only',
      kube: 20,
      verb: 'list',
      group: 'batch',
      version: 'v1beta1',
      resource: 'cronjobs',
      ts: hoursAgo(3),
      cluster: 'staging',
    }).map((r) => ({ ...r, removed_release: '1.25', deprecated: 1 })),
  ];
  await insertRows(store, 'audit_events', rows);
  // Hourly rank snapshots as the scheduler stores them.
  for (const h of [3, 2, 1, 0]) {
    const at = hoursAgo(h);
    const r = await rank(store, TEST_CATALOG, { current: '1.22', target: '1.25', since: '7d', now: at });
    await saveRankSnapshot(store, r, snapshotKey(at, '1.22', '1.25', null));
  }
  const alert = (id: string, h: number, severity: string, client: string) => ({
    alert_id: id,
    created_at: hoursAgo(h).toISOString().replace('T', ' ').replace('Z', ''),
    scope: 'cluster:prod',
    cluster: 'prod',
    cluster_version: '1.25',
    client_name: client,
    client_version: 'v1.21.0',
    client_kube_minor: 21,
    api_group: 'apps',
    resource: 'deployments',
    severity,
    requests: 12,
    change_keys: ['field:apps/deployments:spec.x'],
    sinks: ['slack'],
    payload: '{}',
  });
  await insertRows(store, 'alerts', [
    alert('a1', 2, 'high', 'old-operator'),
    alert('a2', 1, 'critical', 'legacy-cron'),
  ]);
  await insertRows(store, 'alert_deliveries', [
    {
      alert_id: 'a1',
      sink: 'slack',
      outcome: 'failed',
      attempts: 1,
      status_code: 500,
      error: 'x',
      at: hoursAgo(2).toISOString().replace('T', ' ').replace('Z', ''),
    },
    {
      alert_id: 'a1',
      sink: 'slack',
      outcome: 'delivered',
      attempts: 2,
      status_code: 200,
      error: '',
      at: hoursAgo(1).toISOString().replace('T', ' ').replace('Z', ''),
    },
  ]);
}
