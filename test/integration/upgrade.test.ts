import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertRows, migrate, openStore } from '../../packages/store/src/index.js';
import { radarOnDataDir } from '../support/processes.js';
import {
  LEGACY_UPGRADE,
  legacyTraffic,
  PLAN_END,
  PROD_UPGRADE,
  plannedTraffic,
  prodTraffic,
} from '../support/upgrade-traffic.js';

// `radar clusters`, `radar plan`, `radar rollback-check` (and rank/alerts taking the version from
// traffic) as users run them, on generated traffic with known answers (test/support/upgrade-traffic.ts).
const dataDir = mkdtempSync(join(tmpdir(), 'radar-upgrade-'));
const emptyDir = mkdtempSync(join(tmpdir(), 'radar-upgrade-empty-'));

const radar = (args: string[], dir = dataDir) => radarOnDataDir(dir, args);

beforeAll(async () => {
  const store = await openStore({ dataDir, database: 'radar' });
  try {
    // Part of the traffic is stored before the migration: its backfill must see it too.
    await migrate(store);
    await insertRows(store, 'audit_events', [...prodTraffic(), ...legacyTraffic(), ...plannedTraffic()]);
  } finally {
    await store.close();
  }
});

describe('radar clusters', () => {
  it('lists each cluster with its control-plane minors, the upgrade moment and node skew', async () => {
    const res = await radar(['clusters', '--format', 'json', '--since', '60d']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    const prod = out.clusters.find((c: { cluster: string }) => c.cluster === 'prod');
    expect(prod.current).toBe('1.28');
    expect(prod.timeline.map((t: { minor: string }) => t.minor)).toEqual(['1.27', '1.28']);
    expect(prod.upgrades).toEqual([
      {
        from: '1.27',
        to: '1.28',
        at: PROD_UPGRADE.toISOString(),
        completedAt: new Date(PROD_UPGRADE.getTime() + 30 * 60_000).toISOString(),
      },
    ]);
    expect(
      prod.nodes.map((n: { minor: string; nodes: number; behind: number }) => [n.minor, n.nodes, n.behind]),
    ).toEqual([
      ['1.25', 1, 3],
      ['1.27', 3, 1],
    ]);
    expect(prod.unsupportedSkew).toBe(false);
    expect(
      prod.apiservers.map((a: { apiserver: string; version: string }) => `${a.apiserver}@${a.version}`),
    ).toEqual(['cp-1@v1.27.9', 'cp-2@v1.28.3']);
    const legacy = out.clusters.find((c: { cluster: string }) => c.cluster === 'legacy');
    expect(legacy.upgrades[0].at).toBe(LEGACY_UPGRADE.toISOString());
    expect(
      out.clusters.map((c: { cluster: string; current: string }) => `${c.cluster}=${c.current}`),
    ).toEqual(['legacy=1.27', 'planned=1.24', 'prod=1.28']);

    const table = await radar(['clusters', '--cluster', 'prod']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('1.27 -> 1.28');
  });
});

describe('rank and alerts take the version from traffic', () => {
  it('rank derives --current and says so; a mismatching --current is a warning', async () => {
    const res = await radar(['rank', '--target', '1.29', '--cluster', 'prod', '--format', 'json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.current).toBe('1.28');
    expect(out.derived).toEqual({ current: '1.28', from: 'traffic', cluster: 'prod' });

    const table = await radar(['rank', '--target', '1.29', '--cluster', 'prod']);
    expect(table.stdout).toContain(
      "Current version 1.28 derived from the control plane's user agents of cluster prod",
    );

    const given = await radar([
      'rank',
      '--current',
      '1.26',
      '--target',
      '1.29',
      '--cluster',
      'prod',
      '--format',
      'json',
    ]);
    expect(given.code).toBe(0);
    expect(JSON.parse(given.stdout).current).toBe('1.26');
    expect(given.stderr).toContain(
      'radar: warning: --current 1.26 but the control plane of cluster prod runs 1.28',
    );

    const several = await radar(['rank', '--target', '1.29']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('--current not given and not derivable');
  });

  it('alerts check derives --cluster-version', async () => {
    const res = await radar(['alerts', 'check', '--cluster', 'prod', '--dry-run', '--format', 'json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).derived).toEqual({ current: '1.28', from: 'traffic', cluster: 'prod' });
  });
});

describe('radar report', () => {
  it('adds the roll plan and rollback readiness sections, the version taken from traffic', async () => {
    const out = join(dataDir, 'report-legacy');
    const res = await radar(['report', '--target', '1.28', '--cluster', 'legacy', '--out', out]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(
      "Current version 1.27 derived from the control plane's user agents of cluster legacy",
    );
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Apiserver roll plan 1.27 → 1.28');
    expect(md).toContain('## Rollback readiness 1.27 → 1.26');
    expect(md).toMatch(
      /\| new group\/version \| resource\.k8s\.io\/v1alpha2\/resourceclaims \| ml \| 2 \| claim-a, claim-b \|/,
    );
    expect(md).toContain('1 objects still in the old storage version');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Rollback readiness 1.27 → 1.26</h2>');
    const doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    // The guard's verdicts come first in every report (none here: no guard ran).
    expect(doc.sections.map((x: { title: string }) => x.title)).toEqual([
      'Guard verdicts',
      'Apiserver roll plan 1.27 → 1.28',
      'Rollback readiness 1.27 → 1.26',
    ]);
  });
});

describe('radar plan', () => {
  it('names the quietest window of four weeks of hourly-varying writes and whose writes to hold', async () => {
    const res = await radar([
      'plan',
      '--target',
      '1.25',
      '--cluster',
      'planned',
      '--weeks',
      '4',
      '--to',
      PLAN_END.toISOString(),
      '--format',
      'json',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.current).toBe('1.24');
    expect(out.derived.from).toBe('traffic');
    expect(out.plan.windows[0]).toEqual({
      startHour: 147,
      label: 'Sun 03:00-Sun 05:00 UTC',
      expectedWritesPerHour: 1,
    });
    expect(out.plan.hold).toEqual([
      { api: 'apps/deployments', namespace: 'batch-ns', expectedWritesPerHour: 1 },
    ]);
    expect(out.plan.byHourOfWeek[0]).toBe(3);
    expect(out.plan.windows[1].expectedWritesPerHour).toBeGreaterThan(1);
    expect(out.mixed.window).toBeNull();
  });

  it('two apiservers of different versions serving at once: exactly the writes through the older one on changed resources', async () => {
    const res = await radar([
      'plan',
      '--current',
      '1.27',
      '--target',
      '1.28',
      '--cluster',
      'prod',
      '--format',
      'json',
    ]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('warning: --current 1.27 but the control plane of cluster prod runs 1.28');
    const { mixed } = JSON.parse(res.stdout);
    expect(mixed.window).toMatchObject({
      basis: 'apiservers',
      older: ['cp-1'],
      start: PROD_UPGRADE.toISOString(),
      end: new Date(PROD_UPGRADE.getTime() + 40 * 60_000).toISOString(),
    });
    expect(mixed.writes).toHaveLength(1);
    expect(mixed.writes[0]).toMatchObject({
      api: 'core/pods',
      namespace: 'shop',
      client: 'old-op',
      apiserver: 'cp-1',
      writes: 4,
    });
    expect(mixed.writes[0].sampleAuditIds).toHaveLength(4);
  });
});

describe('radar rollback-check', () => {
  it('lists the objects of a new group/version and the storage-version-moved writes, exit 3', async () => {
    const res = await radar(['rollback-check', '--cluster', 'legacy', '--format', 'json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(3);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({
      from: '1.26',
      to: '1.27',
      since: LEGACY_UPGRADE.toISOString(),
      ready: false,
      detected: true,
    });
    expect(out.newGroupVersions).toEqual([
      expect.objectContaining({
        api: 'resource.k8s.io/v1alpha2/resourceclaims',
        namespace: 'ml',
        objects: 2,
        names: ['claim-a', 'claim-b'],
      }),
    ]);
    expect(out.storageVersionMoved).toEqual([
      expect.objectContaining({
        api: 'flowcontrol.apiserver.k8s.io/flowschemas',
        namespace: '',
        objects: 1,
        names: ['fs-new'],
        writes: 1,
      }),
    ]);
    expect(out.notMigrated).toEqual([
      expect.objectContaining({
        api: 'flowcontrol.apiserver.k8s.io/flowschemas',
        objects: 1,
        names: ['fs-old'],
      }),
    ]);
    expect(out.addedFieldsSet).toEqual([
      expect.objectContaining({
        api: 'apps/deployments',
        path: 'spec.template.spec.containers[].resizePolicy',
        client: 'resizer',
        writes: 1,
      }),
    ]);

    const table = await radar(['rollback-check', '--cluster', 'legacy']);
    expect(table.code).toBe(3);
    expect(table.stdout).toContain('NOT READY');
  });

  it('--emulated: emulating the old minor serves its API (ready); emulating the new one is the plain check', async () => {
    const old = await radar([
      'rollback-check',
      '--cluster',
      'legacy',
      '--emulated',
      '1.26',
      '--format',
      'json',
    ]);
    expect(old.code).toBe(0);
    expect(JSON.parse(old.stdout)).toMatchObject({ ready: true, emulated: '1.26', newGroupVersions: [] });
    const same = await radar([
      'rollback-check',
      '--cluster',
      'legacy',
      '--emulated',
      '1.27',
      '--format',
      'json',
    ]);
    expect(same.code).toBe(3);
    expect(JSON.parse(same.stdout).newGroupVersions).toHaveLength(1);
  });

  it('exit 0 on a cluster with none', async () => {
    const res = await radar(['rollback-check', '--cluster', 'prod', '--format', 'json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({
      from: '1.27',
      to: '1.28',
      ready: true,
      newGroupVersions: [],
      storageVersionMoved: [],
    });
  });

  it('says what to pass when no upgrade is detected', async () => {
    const res = await radar(['rollback-check', '--cluster', 'planned', '--since', '60d']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no upgrade of cluster planned detected');
    const none = await radar(['clusters', '--format', 'json'], emptyDir);
    expect(JSON.parse(none.stdout).clusters).toEqual([]);
  });
});
