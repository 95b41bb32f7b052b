/**
 * pnpm bench:upgrade — loads 10M synthetic audit events into embedded ClickHouse (generated
 * server-side with INSERT ... SELECT FROM numbers(), as rank.bench.ts does; the views fill their
 * rollups as in production) and times `radar clusters` (loadClusters) and `radar rollback-check`
 * (loadRollbackCheck) as the CLI runs them. Prints one JSON line.
 *
 * Shape: 14 days, 3 clusters, each upgraded 1.26 -> 1.27 five days before the end (a day apart);
 * 2% of requests from control-plane components (apiserver, controller-manager, scheduler), 1% from
 * kubelets (500 nodes), the rest from 300 clients on 12 resources (deployments, pods, flowschemas
 * whose storage version moved in 1.27, resource.k8s.io/v1alpha2 resourceclaims new in 1.27, ...),
 * every request naming one of three apiservers. Baselines measured in the same run: the clusters
 * question asked of the raw table, and a plain count of the writes (a scan of audit_events).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinChanges } from '../../packages/catalog/src/index.js';
import { BASE_SETTINGS, migrate, openStore, type Store } from '../../packages/store/src/index.js';
import { loadClusters, loadRollbackCheck } from '../../packages/upgrade/src/index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const NOW = new Date('2026-03-15T00:00:00Z');
const SPAN_MS = 14 * 86_400_000;
const UPGRADE_MS = NOW.getTime() - 5 * 86_400_000;
const RESOURCES: [string, string, string][] = [
  ['apps', 'v1', 'deployments'],
  ['apps', 'v1', 'statefulsets'],
  ['', 'v1', 'pods'],
  ['', 'v1', 'configmaps'],
  ['', 'v1', 'services'],
  ['batch', 'v1', 'jobs'],
  ['flowcontrol.apiserver.k8s.io', 'v1beta3', 'flowschemas'],
  ['resource.k8s.io', 'v1alpha2', 'resourceclaims'],
  ['coordination.k8s.io', 'v1', 'leases'],
  ['networking.k8s.io', 'v1', 'ingresses'],
  ['example.io', 'v1', 'widgets'],
  ['', 'v1', 'secrets'],
];
const CP = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const ts = (d: Date | number) => new Date(d).toISOString().slice(0, 23).replace('T', ' ');

function insertSql(): string {
  const res = RESOURCES.map(([g, v, r]) => `('${g}','${v}','${r}')`).join(',');
  // k: kind of requester (0-1 control plane, 2 kubelet, else a client); up: after its cluster's upgrade.
  return `
INSERT INTO audit_events (audit_id, ts, stage, stage_rank, level, cluster, verb, api_group, api_version,
  resource, namespace, name, username, user_agent, client_name, client_version, client_kube_minor,
  status_code, request_paths, apiserver, apiserver_version)
SELECT
  concat('up-', toString(number)) AS audit_id,
  t AS ts, 'ResponseComplete', 2, 'Metadata',
  concat('c', toString(cl)) AS cluster,
  if(k < 3, 'get', ['get','list','watch','update','patch','create','get','list'][(intDiv(h, 7) % 8) + 1]) AS verb,
  if(k < 3, 'coordination.k8s.io', res.1), if(k < 3, 'v1', res.2), if(k < 3, 'leases', res.3),
  concat('ns-', toString(c % 40)) AS namespace,
  concat('obj-', toString(intDiv(h, 131) % 2000)) AS name,
  if(k = 2, concat('system:node:n', toString(h % 500)), concat('system:serviceaccount:ns-', toString(c % 40), ':client-', toString(c))) AS username,
  concat(client_name, '/', client_version, ' (linux/amd64) kubernetes/abcdef0') AS user_agent,
  multiIf(k < 2, [${CP.map((c) => `'${c}'`).join(',')}][(h % 3) + 1], k = 2, 'kubelet', concat('client-', toString(c))) AS client_name,
  multiIf(k < 2, if(up, 'v1.27.3', 'v1.26.9'), k = 2, if(h % 10 = 0, 'v1.25.4', 'v1.26.9'), concat('v1.', toString(20 + c % 8), '.0')) AS client_version,
  toUInt16(multiIf(k < 2, if(up, 27, 26), k = 2, 26, 20 + c % 8)) AS client_kube_minor,
  200,
  if(verb IN ('update', 'patch', 'create') AND res.3 = 'deployments' AND h % 20 = 0,
     ['spec.replicas', 'spec.template.spec.containers[].resizePolicy'], []) AS request_paths,
  concat('cp-', toString(h % 3)) AS apiserver,
  if(up AND (h % 3 != 0 OR t > toDateTime64('${ts(UPGRADE_MS)}', 3, 'UTC') + toIntervalHour(1 + 24 * cl)), 'v1.27.3', 'v1.26.9') AS apiserver_version
FROM (
  SELECT number, cityHash64(number) AS h, number % 300 AS c, intDiv(h, 1000003) % 3 AS cl,
    intDiv(h, 7919) % 100 AS k,
    toDateTime64('${ts(NOW)}', 3, 'UTC') - toIntervalMillisecond(h % ${SPAN_MS}) AS t,
    t >= toDateTime64('${ts(UPGRADE_MS)}', 3, 'UTC') + toIntervalDay(cl) AS up,
    [${res}][((c * 5 + intDiv(h, 104729) % 4) % ${RESOURCES.length}) + 1] AS res
  FROM numbers(${EVENTS})
)`;
}

async function scalar(store: Store, query: string): Promise<number> {
  const rs = await store.client.query({
    query,
    format: 'JSONEachRow',
    clickhouse_settings: { ...BASE_SETTINGS },
  });
  const [row] = await rs.json<Record<string, number>>();
  return Number(Object.values(row ?? {})[0] ?? 0);
}

async function timeIt<T>(
  fn: () => Promise<T>,
  runs = 5,
): Promise<{ medianMs: number; minMs: number; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: Math.round(ms[Math.floor(runs / 2)]!), minMs: Math.round(ms[0]!), last: last as T };
}

const dataDir = mkdtempSync(join(tmpdir(), 'radar-bench-upgrade-'));
const store = await openStore({ dataDir, database: 'radar_bench' });
try {
  await migrate(store);
  const catalog = builtinChanges();
  const t0 = performance.now();
  await store.client.command({
    query: insertSql(),
    clickhouse_settings: {
      ...BASE_SETTINGS,
      async_insert: 0,
      insert_deduplicate: 0,
      insert_deduplication_token: '',
    },
  });
  const loadMs = Math.round(performance.now() - t0);
  const window = { from: new Date(NOW.getTime() - 30 * 86_400_000), to: NOW, cluster: '' };
  const clusters = await timeIt(() => loadClusters(store, window));
  // Baseline: the same question of the raw table (what the hourly rollup saves).
  const rawClusters = await timeIt(() =>
    scalar(
      store,
      `SELECT count() FROM (SELECT cluster, client_name, client_version, apiserver, apiserver_version,
         count(), uniqIf(username, client_name = 'kubelet'), min(ts), max(ts) FROM audit_events
         WHERE client_name IN ('kube-apiserver','kube-controller-manager','kube-scheduler','kubelet') OR apiserver != ''
         GROUP BY ALL)`,
    ),
  );
  const c0 = clusters.last.find((c) => c.cluster === 'c0')!;
  const since = new Date(c0.upgrades[0]!.at);
  const rollback = await timeIt(() =>
    loadRollbackCheck(store, catalog, { cluster: 'c0', from: 26, to: 27, since, end: NOW }),
  );
  const rawWrites = await timeIt(() =>
    scalar(
      store,
      "SELECT count() FROM audit_events WHERE verb IN ('create', 'update', 'patch') AND cluster = 'c0'",
    ),
  );
  const r = rollback.last;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'upgrade',
      events: EVENTS,
      loadMs,
      rollupRows: await scalar(store, 'SELECT count() FROM cluster_versions_hourly'),
      clusters: {
        medianMs: clusters.medianMs,
        minMs: clusters.minMs,
        found: clusters.last.map((c) => `${c.cluster}:${c.timeline.map((x) => x.minor).join('->')}`),
      },
      clustersRawTableMedianMs: rawClusters.medianMs,
      rollbackCheck: {
        medianMs: rollback.medianMs,
        minMs: rollback.minMs,
        ready: r.ready,
        newGroupVersionObjects: r.newGroupVersions.reduce((s, f) => s + f.objects, 0),
        storageMovedObjects: r.storageVersionMoved.reduce((s, f) => s + f.objects, 0),
        addedFieldsSet: r.addedFieldsSet.length,
      },
      writesCountScanMedianMs: rawWrites.medianMs,
      at: new Date().toISOString(),
    })}\n`,
  );
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
