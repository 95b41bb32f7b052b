import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './client.js';
import { insertRows } from './insert.js';
import { loadMigrations, MIGRATIONS_DIR, migrate } from './migrate.js';

const row = (id: string, day: string) => ({
  audit_id: id,
  ts: `${day}T10:00:00.000Z`,
  stage: 'ResponseComplete',
  stage_rank: 2,
  cluster: 'c',
  verb: 'update',
  api_group: 'apps',
  api_version: 'v1',
  resource: 'deployments',
  namespace: 'ns',
  name: id,
  client_name: 'kubectl',
});

// One embedded session, two databases: the session's USE picks the one migrate works on.
describe('0046: one SELECT for the rollup, on an existing store and a fresh one', () => {
  let store: Store;
  const use = (db: string) => store.client.command({ query: `USE ${db}` });
  const q = async <T>(query: string) =>
    (await store.client.query({ query, format: 'JSONEachRow' })).json<T>();
  const schema = (db: string) =>
    q<{ name: string; engine: string; ddl: string }>(
      `SELECT name, engine, replaceAll(create_table_query, '${db}.', 'DB.') AS ddl
       FROM system.tables WHERE database = '${db}' AND name != 'schema_migrations' ORDER BY name`,
    );
  const rollup = () =>
    q<{ day: string; n: number }>(
      'SELECT toString(day) AS day, uniqMerge(requests) AS n FROM audit_daily GROUP BY day ORDER BY day',
    );

  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-0046-')), database: 'radar_old' });
  });
  afterAll(async () => store.close());

  it('ends in the same schema, and the rollup keeps counting each request once', async () => {
    const before = mkdtempSync(join(tmpdir(), 'radar-mig-0045-'));
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    rmSync(join(before, '0046_rollup_one_select.sql'));
    await migrate(store, before);
    await insertRows(store, 'audit_events', [row('a', '2026-03-01'), row('b', '2026-03-01')]);
    expect((await migrate(store)).applied).toEqual(['0046_rollup_one_select']);
    await insertRows(store, 'audit_events', [row('c', '2026-03-02'), row('a', '2026-03-01')]);
    expect(await rollup()).toEqual([
      { day: '2026-03-01', n: 2 },
      { day: '2026-03-02', n: 1 },
    ]);

    await store.client.command({ query: 'CREATE DATABASE IF NOT EXISTS radar_new' });
    await use('radar_new');
    await migrate(store);
    await insertRows(store, 'audit_events', [row('c', '2026-03-02')]);
    await insertRows(store, 'audit_rollup_feed', [{ ...row('d', '2026-03-02'), deprecated: 0 }]);
    expect(await rollup()).toEqual([{ day: '2026-03-02', n: 2 }]);
    expect(await schema('radar_new')).toEqual(await schema('radar_old'));
    await use('radar_old');
  });

  it('leaves one view writing audit_daily, fed by raw rows and replays alike', async () => {
    const views = await q<{ name: string; ddl: string }>(
      // The rollup's views (others, like cluster_versions_hourly_mv, feed tables of their own).
      "SELECT name, create_table_query AS ddl FROM system.tables WHERE database = 'radar_old' AND engine = 'MaterializedView' AND name LIKE 'audit%' ORDER BY name",
    );
    expect(views.map((v) => v.name)).toEqual(['audit_daily_feed_mv', 'audit_events_feed_mv']);
    expect(views.filter((v) => / TO radar_old\.audit_daily /.test(v.ddl)).map((v) => v.name)).toEqual([
      'audit_daily_feed_mv',
    ]);
    expect(views[1]!.ddl).toMatch(/TO radar_old\.audit_rollup_feed .*FROM radar_old\.audit_events$/s);
  });

  it('renders both statements ON CLUSTER against the local tables', () => {
    const m = loadMigrations(undefined, 'prod').find((x) => x.version === 46)!;
    expect(m.statements).toHaveLength(2);
    expect(m.statements[0]).toMatch(
      /^CREATE MATERIALIZED VIEW IF NOT EXISTS audit_events_feed_mv_local ON CLUSTER 'prod' TO audit_rollup_feed_local AS/m,
    );
    expect(m.statements[0]).toMatch(/FROM audit_events_local$/);
    expect(m.statements[1]).toBe("DROP VIEW IF EXISTS audit_daily_mv_local ON CLUSTER 'prod'");
  });
});
