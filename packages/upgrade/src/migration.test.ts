import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clustersVersions,
  insertRows,
  loadMigrations,
  MIGRATIONS_DIR,
  migrate,
  openStore,
} from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Migration 0050 on the real engine: traffic stored before it is backfilled into the hourly
// rollup, traffic after it flows through the view, and replays count once.
const row = (
  id: string,
  ts: string,
  client: string,
  version: string,
  extra: Record<string, unknown> = {},
) => ({
  audit_id: id,
  ts,
  stage: 'ResponseComplete',
  stage_rank: 2,
  cluster: 'c1',
  verb: 'list',
  resource: 'leases',
  username: `system:${client}`,
  client_name: client,
  client_version: version,
  ...extra,
});

describe('migration 0050 (cluster versions)', () => {
  const store = openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-upg-mig-')), database: 'radar_upg' });
  beforeAll(async () => {
    const before = mkdtempSync(join(tmpdir(), 'radar-upg-migs-'));
    for (const f of readdirSync(MIGRATIONS_DIR).filter((x) => x < '0050'))
      copyFileSync(join(MIGRATIONS_DIR, f), join(before, f));
    await migrate(await store, before);
    await insertRows(await store, 'audit_events', [
      row('a1', '2026-03-01T10:05:00.000Z', 'kube-apiserver', '1.27.9'),
      row('a2', '2026-03-01T10:50:00.000Z', 'kube-apiserver', '1.27.9'),
      row('n1', '2026-03-01T10:06:00.000Z', 'kubectl', '1.30.0'),
    ]);
    await migrate(await store);
    const after = [
      row('b1', '2026-03-02T08:00:00.000Z', 'kube-scheduler', '1.28.3'),
      row('b2', '2026-03-02T08:01:00.000Z', 'kubectl', '1.30.0', {
        apiserver: 'cp-2',
        apiserver_version: 'v1.28.3',
      }),
    ];
    // A replayed batch carries its token again (as ingest's do): the view dedupes it too.
    await insertRows(await store, 'audit_events', after, { dedupToken: 'k8s-audit-0-10-11' });
    await insertRows(await store, 'audit_events', after, { dedupToken: 'k8s-audit-0-10-11' });
  });
  afterAll(async () => (await store).close());

  it('backfills stored traffic and keeps the view fed, counting a replayed batch once', async () => {
    const rows = await clustersVersions.run(await store, {
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-04-01T00:00:00Z'),
      cluster: '',
    });
    expect(rows.map((r) => [r.component, r.version, r.apiserver, Number(r.requests), r.first_seen])).toEqual([
      ['', '', 'cp-2', 1, '2026-03-02T08:01:00.000Z'],
      ['kube-apiserver', '1.27.9', '', 2, '2026-03-01T10:05:00.000Z'],
      ['kube-scheduler', '1.28.3', '', 1, '2026-03-02T08:00:00.000Z'],
    ]);
  });

  it('keeps the probe table in step with audit_events', async () => {
    const cols = async (t: string) => {
      const rs = await (await store).client.query({
        query: `SELECT name, type FROM system.columns WHERE database = 'radar_upg' AND table = '${t}' ORDER BY position`,
        format: 'JSONEachRow',
      });
      return rs.json();
    };
    expect(await cols('audit_events_probe')).toEqual(await cols('audit_events'));
    expect(
      loadMigrations(undefined, 'c')
        .find((m) => m.version === 50)!
        .statements.join('\n'),
    ).toContain("ON CLUSTER 'c'");
  });
});
