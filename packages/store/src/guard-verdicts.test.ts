import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './client.js';
import { insertRows } from './insert.js';
import { loadMigrations, MIGRATIONS_DIR, migrate } from './migrate.js';
import { guardVerdicts } from './named/index.js';

// Migration 0051 on the real engine: a store from before it gains the columns, the rollup is fed
// only by judged requests, and neither a retried insert nor a later stage counts twice.
const row = (id: string, ts: string, verdict: string, extra: Record<string, unknown> = {}) => ({
  audit_id: id,
  ts,
  stage: 'ResponseComplete',
  stage_rank: 2,
  cluster: 'c1',
  verb: 'update',
  api_group: 'networking.k8s.io',
  api_version: 'v1beta1',
  resource: 'ingresses',
  namespace: 'shop',
  name: `ing-${id}`,
  username: 'deploy-bot',
  client_name: 'deploy-bot',
  client_version: '1.16.3',
  client_kube_minor: 16,
  status_code: verdict === 'denied' ? 403 : 200,
  guard_verdict: verdict,
  guard_fields: verdict ? 'dropped:spec.rules[].http.paths[].pathType' : '',
  ...extra,
});

describe('migration 0051 (guard verdicts)', () => {
  const db = 'radar_guardv';
  const store = openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-guardv-')), database: db });
  beforeAll(async () => {
    const before = mkdtempSync(join(tmpdir(), 'radar-guardv-migs-'));
    for (const f of readdirSync(MIGRATIONS_DIR).filter((x) => x < '0051'))
      copyFileSync(join(MIGRATIONS_DIR, f), join(before, f));
    await migrate(await store, before);
    const { guard_verdict: _v, guard_fields: _f, ...old } = row('old', '2026-03-02T07:00:00.000Z', '');
    await insertRows(await store, 'audit_events', [old]);
    await migrate(await store);
    const batch = [
      row('d1', '2026-03-02T08:00:00.000Z', 'denied'),
      row('d2', '2026-03-02T08:30:00.000Z', 'denied'),
      row('w1', '2026-03-02T09:10:00.000Z', 'warned'),
      row('n1', '2026-03-02T09:20:00.000Z', ''),
    ];
    // A retried insert carries its token again (as ingest's do): the view's table drops it.
    await insertRows(await store, 'audit_events', batch, { dedupToken: 'k8s-audit-0-1-4' });
    await insertRows(await store, 'audit_events', batch, { dedupToken: 'k8s-audit-0-1-4' });
    // A replay under another token (a later stage of the same request) still counts once.
    await insertRows(await store, 'audit_events', [{ ...batch[0]!, stage: 'Panic', stage_rank: 3 }], {
      dedupToken: 'k8s-audit-0-9-9',
    });
  });
  afterAll(async () => (await store).close());

  it('rolls up judged requests only, each once', async () => {
    const rows = await guardVerdicts.run(await store, {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
      cluster: '',
    });
    expect(rows.map((r) => [r.verdict, r.requests, r.objects, r.fields, r.first_at])).toEqual([
      ['denied', 2, 2, 'dropped:spec.rules[].http.paths[].pathType', '2026-03-02T08:00:00.000Z'],
      ['warned', 1, 1, 'dropped:spec.rules[].http.paths[].pathType', '2026-03-02T09:10:00.000Z'],
    ]);
    const window = await guardVerdicts.run(await store, {
      from: new Date('2026-03-02T09:00:00Z'),
      to: new Date('2026-03-02T10:00:00Z'),
      cluster: 'c1',
    });
    expect(window.map((r) => r.verdict)).toEqual(['warned']);
  });

  it('keeps the probe table in step with audit_events, and renders for a cluster', async () => {
    const cols = async (t: string) => {
      const rs = await (await store).client.query({
        query: `SELECT name, type FROM system.columns WHERE database = '${db}' AND table = '${t}' ORDER BY position`,
        format: 'JSONEachRow',
      });
      return rs.json<{ name: string; type: string }>();
    };
    const columns = await cols('audit_events');
    expect(columns.slice(-2)).toEqual([
      { name: 'guard_verdict', type: 'LowCardinality(String)' },
      { name: 'guard_fields', type: 'String' },
    ]);
    expect(await cols('audit_events_probe')).toEqual(columns);
    const onCluster = loadMigrations(undefined, 'c')
      .find((m) => m.version === 51)!
      .statements.join('\n');
    expect(onCluster).toContain('guard_verdicts_hourly_local');
    expect(onCluster).toContain("Distributed('c'");
  });
});
