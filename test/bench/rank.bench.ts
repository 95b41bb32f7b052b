/**
 * pnpm bench:rank — loads synthetic audit events into embedded ClickHouse (generated server-side
 * with INSERT ... SELECT FROM numbers()) and times `rank` at 1M and 10M events. Prints one JSON line.
 *
 * Shape: 300 clients (10% with an unknown version), each calling 10 of 60 resources (removed,
 * deprecated, changed and untouched APIs) with all verbs, over 7 days and 2 clusters: the rollup
 * holds clients x resources x verbs x days rows, whatever the number of events.
 * Baseline measured in the same run: the same question asked of the raw table (a scan of
 * audit_events), which grows with the event count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinChanges } from '../../packages/catalog/src/index.js';
import { rank } from '../../packages/ranking/src/index.js';
import { BASE_SETTINGS, migrate, openStore, type Store } from '../../packages/store/src/index.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const CLIENTS = 300;
const RESOURCES: [string, string, string][] = [
  ['apps', 'v1', 'deployments'],
  ['apps', 'v1', 'statefulsets'],
  ['apps', 'v1', 'daemonsets'],
  ['apps', 'v1', 'replicasets'],
  ['batch', 'v1', 'jobs'],
  ['batch', 'v1', 'cronjobs'],
  ['batch', 'v1beta1', 'cronjobs'],
  ['', 'v1', 'pods'],
  ['', 'v1', 'services'],
  ['', 'v1', 'configmaps'],
  ['', 'v1', 'secrets'],
  ['', 'v1', 'persistentvolumeclaims'],
  ['', 'v1', 'namespaces'],
  ['', 'v1', 'nodes'],
  ['', 'v1', 'events'],
  ['', 'v1', 'endpoints'],
  ['', 'v1', 'serviceaccounts'],
  ['networking.k8s.io', 'v1', 'ingresses'],
  ['networking.k8s.io', 'v1', 'networkpolicies'],
  ['policy', 'v1beta1', 'poddisruptionbudgets'],
  ['policy', 'v1', 'poddisruptionbudgets'],
  ['autoscaling', 'v2beta2', 'horizontalpodautoscalers'],
  ['autoscaling', 'v2', 'horizontalpodautoscalers'],
  ['discovery.k8s.io', 'v1beta1', 'endpointslices'],
  ['discovery.k8s.io', 'v1', 'endpointslices'],
  ['coordination.k8s.io', 'v1', 'leases'],
  ['rbac.authorization.k8s.io', 'v1', 'roles'],
  ['rbac.authorization.k8s.io', 'v1', 'rolebindings'],
  ['storage.k8s.io', 'v1', 'storageclasses'],
  ['storage.k8s.io', 'v1beta1', 'csistoragecapacities'],
  ...Array.from({ length: 30 }, (_, i): [string, string, string] => [`example${i}.io`, 'v1', `widgets${i}`]),
];
const VERBS = ['get', 'list', 'watch', 'update', 'patch', 'create', 'delete', 'get'];

function insertSql(start: number, count: number): string {
  const res = RESOURCES.map(([g, v, r]) => `('${g}','${v}','${r}')`).join(',');
  // c: client; r: one of the client's 10 resources; h: per-event randomness.
  return `
INSERT INTO audit_events (audit_id, ts, stage, stage_rank, level, cluster, verb, api_group, api_version,
  resource, subresource, namespace, name, username, user_agent, client_name, client_version,
  client_kube_minor, status_code)
SELECT
  concat('bench-', toString(number)) AS audit_id,
  toDateTime64('${NOW.toISOString().slice(0, 19).replace('T', ' ')}', 3, 'UTC') - toIntervalMillisecond(h % 604800000) AS ts,
  'ResponseComplete', 2, 'Metadata',
  if(c % 4 = 0, 'staging', 'prod') AS cluster,
  [${VERBS.map((v) => `'${v}'`).join(',')}][(intDiv(h, 7) % ${VERBS.length}) + 1] AS verb,
  res.1, res.2, res.3,
  if(verb = 'update' AND c % 5 = 0, 'status', '') AS subresource,
  concat('ns-', toString(c % 40)) AS namespace,
  concat('obj-', toString(intDiv(h, 131) % 500)) AS name,
  concat('system:serviceaccount:ns-', toString(c % 40), ':client-', toString(c)) AS username,
  concat(client_name, '/', client_version, ' (linux/amd64) kubernetes/abcdef0') AS user_agent,
  concat('client-', toString(c)) AS client_name,
  if(c % 10 = 0, 'v0.0.0', concat('v1.', toString(16 + c % 15), '.0')) AS client_version,
  toUInt16(if(c % 10 = 0, 0, 16 + c % 15)) AS client_kube_minor,
  200
FROM (
  SELECT number, cityHash64(number) AS h, number % ${CLIENTS} AS c,
    [${res}][((c * 7 + intDiv(h, 1000003) % 10) % ${RESOURCES.length}) + 1] AS res
  FROM numbers(${start}, ${count})
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

async function load(store: Store, start: number, count: number): Promise<number> {
  const t = performance.now();
  await store.client.command({
    query: insertSql(start, count),
    clickhouse_settings: {
      ...BASE_SETTINGS,
      async_insert: 0,
      insert_deduplicate: 0,
      insert_deduplication_token: '',
    },
  });
  return Math.round(performance.now() - t);
}

/** Background merges after a big load compete for the 2 cores: let them finish first (at most 5 min). */
async function settle(store: Store): Promise<number> {
  const t = performance.now();
  while (performance.now() - t < 300_000) {
    const running = await scalar(
      store,
      'SELECT count() FROM system.merges WHERE database = currentDatabase()',
    );
    if (running === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return Math.round(performance.now() - t);
}

async function measure(store: Store, catalog: ReturnType<typeof builtinChanges>, events: number) {
  const opts = { current: '1.22', target: '1.25', since: '7d', now: NOW };
  const r = await timeIt(() => rank(store, catalog, opts));
  // Baseline: the update traffic per client and resource read from raw events instead.
  const raw = await timeIt(() =>
    scalar(
      store,
      `SELECT count() FROM (SELECT client_name, client_version, api_group, api_version, resource, verb,
         uniq(audit_id), uniq(namespace, name) FROM audit_events
         WHERE ts >= toDateTime64('2026-03-03 12:00:00', 3, 'UTC') GROUP BY ALL)`,
    ),
  );
  return {
    events,
    rollupRows: await scalar(store, 'SELECT count() FROM audit_daily'),
    rollupParts: await scalar(
      store,
      "SELECT count() FROM system.parts WHERE active AND table = 'audit_daily' AND database = currentDatabase()",
    ),
    rankMedianMs: r.medianMs,
    rankMinMs: r.minMs,
    rawScanMedianMs: raw.medianMs,
    riskyClients: r.last.clients.length,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'radar-bench-rank-'));
const store = await openStore({ dataDir, database: 'radar_bench' });
try {
  await migrate(store);
  const catalog = builtinChanges();
  const load1 = await load(store, 0, 1_000_000);
  const settle1 = await settle(store);
  const at1m = await measure(store, catalog, 1_000_000);
  const load10 = await load(store, 1_000_000, 9_000_000);
  const settle10 = await settle(store);
  const at10m = await measure(store, catalog, 10_000_000);
  await store.client.command({ query: 'OPTIMIZE TABLE audit_daily FINAL' });
  const merged = await measure(store, catalog, 10_000_000);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'rank',
      upgrade: '1.22->1.25',
      window: '7d',
      clients: CLIENTS,
      resources: RESOURCES.length,
      catalogChanges: catalog.length,
      loadMs: { first1M: load1, next9M: load10 },
      settleMs: { at1M: settle1, at10M: settle10 },
      at1M: at1m,
      at10M: at10m,
      at10MMerged: merged,
      rankGrowth10xEvents: Math.round((at10m.rankMedianMs / at1m.rankMedianMs) * 100) / 100,
      rawScanGrowth10xEvents: Math.round((at10m.rawScanMedianMs / at1m.rawScanMedianMs) * 100) / 100,
    })}\n`,
  );
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
