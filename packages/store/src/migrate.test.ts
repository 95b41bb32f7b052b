import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './client.js';
import { insertRows } from './insert.js';
import { loadMigrations, migrate, renderMigration } from './migrate.js';

describe('renderMigration', () => {
  const sql = `CREATE TABLE t{{local}} {{on_cluster}} (a String) ENGINE = {{replicated}}MergeTree ORDER BY a;
-- @cluster-only
CREATE TABLE t {{on_cluster}} AS t_local ENGINE = Distributed('{{cluster}}', currentDatabase(), t_local);`;

  it('drops cluster-only statements and markers on a single node', () => {
    expect(renderMigration(sql, undefined)).toEqual([
      'CREATE TABLE t  (a String) ENGINE = MergeTree ORDER BY a',
    ]);
  });

  it('targets a cluster with Replicated engines, local tables and Distributed fronts', () => {
    const out = renderMigration(sql, 'prod');
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(
      "CREATE TABLE t_local ON CLUSTER 'prod' (a String) ENGINE = ReplicatedMergeTree ORDER BY a",
    );
    expect(out[1]).toContain("Distributed('prod', currentDatabase(), t_local)");
  });

  it('renders every shipped migration for a cluster without leftover markers', () => {
    for (const m of loadMigrations(undefined, 'c1')) {
      for (const s of m.statements) expect(s).not.toMatch(/\{\{/);
    }
  });
});

describe('migrate on embedded ClickHouse', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-mig-')), database: 'radar_test' });
  });
  afterAll(async () => store.close());

  it('applies once and is idempotent', async () => {
    const first = await migrate(store);
    expect(first.applied).toContain('0001_audit_events');
    const second = await migrate(store);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
  });

  it('stores a replayed batch once when it carries the same token', async () => {
    const row = {
      audit_id: 'a-1',
      ts: '2026-01-01T00:00:00.000Z',
      stage: 'ResponseComplete',
      stage_rank: 2,
      cluster: 'c',
      verb: 'update',
    };
    await insertRows(store, 'audit_events', [row], { dedupToken: 't-0-0-0' });
    await insertRows(store, 'audit_events', [row], { dedupToken: 't-0-0-0' });
    await insertRows(store, 'audit_events', [{ ...row, audit_id: 'a-2' }], { dedupToken: 't-0-1-1' });
    const rs = await store.client.query({
      query: 'SELECT count() AS n, (SELECT uniqMerge(requests) FROM audit_daily) AS r FROM audit_events',
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 2, r: 2 }]);
  });

  // The merge settings that bound the embedded engine's memory (0053, 0057) are on the tables.
  it('merges the rollup at most 3 parts at a time, and audit_events vertically', async () => {
    const rs = await store.client.query({
      query: `SELECT name, create_table_query AS q FROM system.tables
              WHERE database = currentDatabase() AND name IN ('audit_daily', 'audit_events') ORDER BY name`,
      format: 'JSONEachRow',
    });
    const [daily, events] = await rs.json<{ name: string; q: string }>();
    expect(daily?.q).toContain('max_parts_to_merge_at_once = 3');
    expect(events?.q).toContain('vertical_merge_algorithm_min_rows_to_activate = 1');
  });
});
