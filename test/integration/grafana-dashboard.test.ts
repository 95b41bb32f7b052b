import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { rank, saveRankSnapshot, snapshotKey } from '../../packages/ranking/src/index.js';
import { events, TEST_CATALOG } from '../../packages/ranking/src/testing.js';
import { BASE_SETTINGS, insertRows, migrate, openStore, type Store } from '../../packages/store/src/index.js';
import { allPanels, type Dashboard, expandMacros, type MacroContext } from '../support/grafana.js';
import { metricNamesIn, unknownMetrics } from '../support/metric-names.js';
import { REPO_ROOT } from '../support/repo.js';

const exec = promisify(execFile);
const dashboard: Dashboard = JSON.parse(
  readFileSync(join(REPO_ROOT, 'deploy/grafana/upgrade-radar.json'), 'utf8'),
);
const panels = allPanels(dashboard);
const chPanels = panels.filter((p) => p.datasource?.type === 'grafana-clickhouse-datasource');
const promPanels = panels.filter((p) => p.datasource?.type === 'prometheus');

// Grafana's template-variable syntax, spelt so that it is not mistaken for a JS template.
const TARGET = '$' + '{target}';

// The columns each ClickHouse panel is built for (a new panel must say what it returns).
const EXPECTED: Record<string, string[]> = {
  'Risky requests by client and severity': ['time', 'client_severity', 'requests'],
  'Clients at risk, by severity': ['time', 'critical', 'high', 'needs_verification', 'other'],
  [`Top clients to upgrade for ${TARGET}`]: [
    'rank',
    'client',
    'client_version',
    'built_for',
    'severity',
    'risky_requests',
    'full_updates',
    'owners',
    'last_seen',
  ],
  [`Calls to APIs removed by ${TARGET}`]: ['time', 'client_api', 'requests'],
  'Removed-API callers': [
    'client',
    'client_version',
    'api',
    'removed_release',
    'requests',
    'users',
    'last_seen',
  ],
  'Post-upgrade alerts, by severity': ['time', 'severity', 'alerts'],
  'Recent post-upgrade alerts': [
    'time',
    'cluster',
    'cluster_version',
    'client',
    'client_version',
    'resource',
    'severity',
    'requests',
    'deliveries',
  ],
};

const NOW = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const CTX: MacroContext = {
  from: new Date(NOW.getTime() - 7 * 86_400_000),
  to: NOW,
  intervalS: 3600,
  vars: { current: '1.22', target: '1.25', cluster: '__all__', consumer_group: 'upgrade-radar-ingest' },
};

let root: string;
let store: Store;

interface Result {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
}
async function run(sql: string): Promise<Result> {
  const rs = await store.client.query({ query: sql, format: 'JSON', clickhouse_settings: BASE_SETTINGS });
  return (await rs.json()) as unknown as Result;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'radar-grafana-'));
  store = await openStore({ dataDir: join(root, 'data'), database: 'radar' });
  await migrate(store);
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
}, 120_000);

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('deploy/grafana/upgrade-radar.json', () => {
  it('has the panels the issue asks for, each on a data source variable', () => {
    expect(chPanels.map((p) => p.title).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(promPanels.map((p) => p.title)).toEqual(
      expect.arrayContaining([
        'Ingest rate',
        'Dead letters by reason',
        'Consumer lag and stalled partitions',
      ]),
    );
    for (const p of [...chPanels, ...promPanels])
      expect(p.datasource?.uid).toMatch(/^\$[{](clickhouse|prometheus)[}]$/);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
  });

  it('expands the plugin macros and refuses unknown ones', () => {
    expect(expandMacros(`WHERE $__timeFilter(ts) AND x = ${TARGET}`, CTX)).toBe(
      `WHERE ts >= toDateTime(${CTX.from.getTime() / 1000}) AND ts <= toDateTime(${NOW.getTime() / 1000}) AND x = 1.25`,
    );
    expect(() => expandMacros('SELECT $__nope', CTX)).toThrow(/unknown macro/);
    expect(() => expandMacros('SELECT $' + '{missing}', CTX)).toThrow(/no value/);
  });

  it('runs every template variable query', async () => {
    const vars = dashboard.templating.list.filter((v) => v.type === 'query');
    const values: Record<string, unknown[]> = {};
    for (const v of vars) {
      const r = await run(expandMacros(v.query, CTX));
      expect(r.meta, v.name).toHaveLength(1);
      values[v.name] = r.data.map((row) => Object.values(row)[0]);
    }
    expect(values).toEqual({ current: ['1.22'], target: ['1.25'], cluster: ['prod', 'staging'] });
  });

  for (const cluster of ['__all__', 'prod']) {
    it(`runs every ClickHouse panel query on a filled store and returns its columns (cluster ${cluster})`, async () => {
      const ctx = { ...CTX, vars: { ...CTX.vars, cluster } };
      const results: Record<string, Result> = {};
      for (const p of chPanels) {
        const sql = p.targets?.[0]?.rawSql ?? '';
        const r = await run(expandMacros(sql, ctx)).catch((e: Error) => {
          throw new Error(`panel "${p.title}": ${e.message}`);
        });
        expect(
          r.meta.map((m) => m.name),
          p.title,
        ).toEqual(EXPECTED[p.title]);
        if (p.type === 'timeseries') {
          expect(r.meta[0]!.type, `${p.title}: time column`).toMatch(/^DateTime/);
          expect(r.meta.at(-1)!.type, `${p.title}: value column`).toMatch(/U?Int|Float/);
        }
        results[p.title] = r;
      }
      const removed = results['Removed-API callers']!.data.map((r) => r.client);
      const alerts = results['Recent post-upgrade alerts']!.data;
      if (cluster === 'prod') {
        // The rank snapshots are of all clusters: with one cluster chosen there is none to show.
        expect(results[`Top clients to upgrade for ${TARGET}`]!.data).toEqual([]);
        expect(removed.sort()).toEqual(['legacy-cron', 'old-ingress']);
      } else {
        const top = results[`Top clients to upgrade for ${TARGET}`]!.data;
        expect(top.map((r) => [r.client, r.severity])).toContainEqual(['legacy-cron', 'critical']);
        expect(results['Risky requests by client and severity']!.data.length).toBeGreaterThanOrEqual(4);
        expect(removed.sort()).toEqual(['legacy-cron', 'old-ingress', 'staging-only']);
      }
      expect(alerts.map((a) => [a.client, a.deliveries])).toEqual([
        ['legacy-cron', ''],
        ['old-operator', 'slack: delivered'],
      ]);
      expect(results[`Calls to APIs removed by ${TARGET}`]!.data.length).toBeGreaterThan(0);
    });
  }

  it('queries Prometheus only for metrics the services export, in valid PromQL', async () => {
    const exprs = promPanels.flatMap((p) => (p.targets ?? []).map((t) => String(t.expr)));
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    const expanded = exprs.map((e) =>
      e.replaceAll('$__rate_interval', '5m').replaceAll('$' + '{consumer_group}', 'upgrade-radar-ingest'),
    );
    expect(unknownMetrics(expanded.flatMap(metricNamesIn))).toEqual([]);
    // promtool parses every expression as a recording rule.
    const dir = mkdtempSync(join(tmpdir(), 'radar-promql-'));
    try {
      const rules = {
        groups: [
          { name: 'dashboard', rules: expanded.map((expr, i) => ({ record: `dashboard:expr_${i}`, expr })) },
        ],
      };
      writeFileSync(join(dir, 'dashboard.yaml'), stringify(rules));
      const r = await exec('promtool', ['check', 'rules', 'dashboard.yaml'], { cwd: dir });
      expect(r.stdout).toContain(`SUCCESS: ${expanded.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is provisioned by docker-compose.yml with the ClickHouse plugin and both data sources', () => {
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
    const grafana = compose.services.grafana;
    expect(grafana.environment.GF_INSTALL_PLUGINS).toContain('grafana-clickhouse-datasource');
    const mounts = new Map<string, string>(
      (grafana.volumes as string[])
        .filter((v) => v.startsWith('./'))
        .map((v) => [v.split(':')[1]!, v.split(':')[0]!] as [string, string]),
    );
    for (const host of mounts.values()) expect(existsSync(join(REPO_ROOT, host)), host).toBe(true);
    expect(mounts.get('/var/lib/grafana/dashboards/upgrade-radar.json')).toBe(
      './deploy/grafana/upgrade-radar.json',
    );
    const prov = join(REPO_ROOT, mounts.get('/etc/grafana/provisioning')!);
    const sources = parse(readFileSync(join(prov, 'datasources/upgrade-radar.yaml'), 'utf8')).datasources;
    const dsVars = dashboard.templating.list.filter((v) => v.type === 'datasource').map((v) => v.query);
    expect(sources.map((d: { type: string }) => d.type).sort()).toEqual([...dsVars].sort());
    const ch = sources.find((d: { type: string }) => d.type === 'grafana-clickhouse-datasource');
    expect(ch.jsonData).toMatchObject({
      host: 'clickhouse',
      defaultDatabase: compose.services.clickhouse.environment.CLICKHOUSE_DB,
    });
    const providers = parse(readFileSync(join(prov, 'dashboards/upgrade-radar.yaml'), 'utf8')).providers;
    expect(providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    expect(compose.services.prometheus.volumes).toContain(
      './deploy/prometheus/rules.yaml:/etc/prometheus/rules.yaml:ro',
    );
  });
});
