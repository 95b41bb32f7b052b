import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BASE_SETTINGS, migrate, openStore, type Store } from '../../packages/store/src/index.js';
import { allPanels, type Dashboard, expandMacros, type MacroContext } from '../support/grafana.js';
import { fillDashboardStore } from '../support/grafana-fill.js';
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
  await fillDashboardStore(store, NOW);
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
