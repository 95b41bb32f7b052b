import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Policy, RankInputError, rank } from '../../packages/ranking/src/index.js';
import { change, events, TEST_CATALOG } from '../../packages/ranking/src/testing.js';
import { insertRows, migrate, openStore, type Store } from '../../packages/store/src/index.js';

// A corpus of every kind of client: risky ones (removed API, old full updates, unknown version,
// deprecated API) and safe ones (patch-only, already at target, create/delete-only, status and
// scale writers), on embedded ClickHouse through the real audit_daily rollup.
const NOW = new Date('2026-03-10T12:00:00Z');
const day = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const CATALOG = [
  ...TEST_CATALOG,
  change('gvk-deprecated', 'autoscaling', 'v2beta2', 'horizontalpodautoscalers', '1.23'),
];
const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' } as const;

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-rank-')), database: 'radar_test' });
  await migrate(store);
  const rows = [
    ...events('cron', 3, {
      client: 'legacy-cron',
      kube: 24,
      verb: 'list',
      group: 'batch',
      version: 'v1beta1',
      resource: 'cronjobs',
      ts: day(1),
    }),
    ...events(
      'oldop',
      40,
      { client: 'old-operator', kube: 21, verb: 'update', ...DEPLOY, ts: day(2), namespace: 'shop' },
      4,
    ),
    ...events('oldop-get', 500, {
      client: 'old-operator',
      kube: 21,
      verb: 'get',
      ...DEPLOY,
      ts: day(2),
      namespace: 'shop',
    }),
    ...events('myst', 7, {
      client: 'mystery',
      clientVersion: 'v0.0.0',
      kube: 0,
      verb: 'update',
      group: 'apps',
      version: 'v1',
      resource: 'statefulsets',
      ts: day(3),
      userAgent: 'mystery/v0.0.0 (linux/amd64) kubernetes/$Format',
    }),
    ...events('hpa', 5, {
      client: 'hpa-reader',
      kube: 22,
      verb: 'watch',
      group: 'autoscaling',
      version: 'v2beta2',
      resource: 'horizontalpodautoscalers',
      ts: day(1),
    }),
    ...events('patch', 300, { client: 'patcher', kube: 19, verb: 'patch', ...DEPLOY, ts: day(1) }),
    ...events('fresh', 50, { client: 'fresh', kube: 25, verb: 'update', ...DEPLOY, ts: day(1) }),
    ...events('create', 20, { client: 'creator', kube: 18, verb: 'create', ...DEPLOY, ts: day(1) }),
    ...events('delete', 20, { client: 'creator', kube: 18, verb: 'delete', ...DEPLOY, ts: day(1) }),
    ...events('status', 60, {
      client: 'status-writer',
      kube: 18,
      verb: 'update',
      ...DEPLOY,
      subresource: 'status',
      ts: day(1),
    }),
    ...events('scale', 10, {
      client: 'scaler',
      kube: 18,
      verb: 'update',
      ...DEPLOY,
      subresource: 'scale',
      ts: day(1),
    }),
    ...events('kcm', 30, {
      client: 'kube-controller-manager',
      kube: 22,
      verb: 'update',
      ...DEPLOY,
      ts: day(1),
      user: 'system:kube-controller-manager',
    }),
    ...events('cgo', 12, {
      client: 'cgo-operator',
      clientVersion: 'v0.0.0',
      kube: 0,
      verb: 'update',
      ...DEPLOY,
      ts: day(1),
      namespace: 'payments',
    }),
    // Outside the 7-day window, and in another cluster: not this ranking's business.
    ...events('old', 9, { client: 'long-gone', kube: 20, verb: 'update', ...DEPLOY, ts: day(30) }),
    ...events('staging', 9, {
      client: 'staging-only',
      kube: 20,
      verb: 'update',
      ...DEPLOY,
      ts: day(1),
      cluster: 'staging',
    }),
  ];
  await insertRows(store, 'audit_events', rows);
});
afterAll(async () => store?.close());

const opts = { current: '1.22', target: '1.25', since: '7d', now: NOW };

describe('rank on the rollup', () => {
  it('lists exactly the clients that send risky traffic, most severe first', async () => {
    const r = await rank(store, CATALOG, { ...opts, cluster: 'prod' });
    expect(r).toMatchObject({
      current: '1.22',
      target: '1.25',
      cluster: 'prod',
      window: { from: '2026-03-03T12:00:00.000Z', to: '2026-03-10T12:00:00.000Z' },
    });
    expect(r.clients.map((c) => [c.rank, c.client, c.severity])).toEqual([
      [1, 'legacy-cron', 'critical'],
      [2, 'old-operator', 'high'],
      [3, 'kube-controller-manager', 'high'],
      [4, 'cgo-operator', 'needs-verification'],
      [5, 'mystery', 'needs-verification'],
      [6, 'hpa-reader', 'low'],
    ]);
  });

  it('gives the findings with counts and sample audit IDs as evidence', async () => {
    const r = await rank(store, CATALOG, { ...opts, cluster: 'prod' });
    const cron = r.clients.find((c) => c.client === 'legacy-cron')!;
    expect(cron.findings).toEqual([
      expect.objectContaining({
        change: 'gvk-removed',
        group: 'batch',
        version: 'v1beta1',
        resource: 'cronjobs',
        since: '1.25',
        verb: 'list',
        count: 3,
      }),
    ]);
    expect(cron.findings[0]!.sampleAuditIds.every((id) => id.startsWith('cron-'))).toBe(true);
    const op = r.clients.find((c) => c.client === 'old-operator')!;
    expect(op).toMatchObject({
      clientVersion: 'v1.21.0',
      kubeVersion: '1.21',
      requests: 40,
      updates: 40,
      objects: 4,
      namespaces: ['shop'],
    });
    expect(op.findings.map((f) => [f.change, f.path, f.verb, f.count])).toEqual([
      ['field-added', 'spec.template.spec.os', 'update', 40],
      ['default-changed', 'spec.template.spec.x', 'update', 40],
    ]);
    expect(r.clients.find((c) => c.client === 'mystery')).toMatchObject({
      clientVersion: 'v0.0.0',
      kubeVersion: null,
    });
  });

  it('covers all clusters when none is given, and only the window', async () => {
    const r = await rank(store, CATALOG, opts);
    const names = r.clients.map((c) => c.client);
    expect(names).toContain('staging-only');
    expect(names).not.toContain('long-gone');
    const wide = await rank(store, CATALOG, { ...opts, since: '60d' });
    expect(wide.clients.map((c) => c.client)).toContain('long-gone');
  });

  it('applies the policy: allowlist, version override, owners on every finding', async () => {
    const policy: Policy = {
      allow: [{ userAgent: 'kube-controller-manager/*', reason: 'upgraded with the control plane' }],
      overrides: [
        { client: 'cgo-operator', kubeVersion: 'v0.28.2' },
        { client: 'mystery', kubeVersion: '1.20' },
        // Reports 1.25 in its user agent but is really built on client-go 0.21.
        { client: 'fresh', kubeVersion: 'v0.21.3' },
      ],
      owners: [
        { team: 'shop-team', namespaces: ['shop'] },
        { team: 'platform', serviceAccounts: ['default/*'] },
      ],
    };
    const r = await rank(store, CATALOG, { ...opts, cluster: 'prod', policy });
    expect(r.clients.map((c) => [c.client, c.severity, c.kubeVersion])).toEqual([
      ['legacy-cron', 'critical', '1.24'],
      ['fresh', 'high', '1.21'],
      ['old-operator', 'high', '1.21'],
      ['mystery', 'high', '1.20'],
      ['hpa-reader', 'low', '1.22'],
    ]);
    const op = r.clients.find((c) => c.client === 'old-operator')!;
    expect(op.owners).toEqual(['platform', 'shop-team']);
    for (const f of op.findings) expect(f.owners).toEqual(['platform', 'shop-team']);
  });

  it('refuses bad input with clear errors', async () => {
    await expect(rank(store, CATALOG, { ...opts, target: '1.22' })).rejects.toThrow(
      'target version 1.22 must be newer than current version 1.22',
    );
    await expect(rank(store, CATALOG, { ...opts, target: '1.21' })).rejects.toBeInstanceOf(RankInputError);
    await expect(rank(store, CATALOG, { ...opts, current: 'v2.0' })).rejects.toThrow(
      'current version "v2.0"',
    );
    await expect(rank(store, CATALOG, { ...opts, since: '0d' })).rejects.toThrow('is empty');
    await expect(rank(store, CATALOG, { ...opts, cluster: 'nowhere' })).rejects.toThrow(
      'empty window: no audit events between 2026-03-03T12:00:00.000Z and 2026-03-10T12:00:00.000Z in cluster "nowhere"',
    );
    const empty = await rank(store, CATALOG, { ...opts, cluster: 'nowhere', allowEmpty: true });
    expect(empty.clients).toEqual([]);
  });
});
