import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RankResult,
  type ReportDoc,
  rank,
  saveRankSnapshot,
  snapshotKey,
  writeReport,
} from '../../packages/ranking/src/index.js';
import { change, events, TEST_CATALOG } from '../../packages/ranking/src/testing.js';
import {
  insertRows,
  migrate,
  openStore,
  rankSnapshotTrend,
  type Store,
} from '../../packages/store/src/index.js';

// Two weeks of traffic: in the first week "fixed-op" does old full updates and "legacy-cron"
// calls a removed API; in the second, fixed-op has been upgraded and "new-op" appears.
const WEEK1 = new Date('2026-03-08T12:00:00Z'); // Sunday, ISO week 10
const WEEK2 = new Date('2026-03-15T12:00:00Z'); // Sunday, ISO week 11
const at = (base: Date, days: number) => new Date(base.getTime() - days * 86_400_000);
const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' } as const;
const CATALOG = [...TEST_CATALOG, change('gvk-removed', 'policy', 'v1beta1', 'poddisruptionbudgets', '1.25')];
const policy = { allow: [], overrides: [], owners: [{ team: 'shop-team', namespaces: ['shop'] }] };
const base = { current: '1.22', target: '1.25', since: '7d', policy };

let store: Store;
const out = mkdtempSync(join(tmpdir(), 'radar-report-out-'));
beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-report-')), database: 'radar_test' });
  await migrate(store);
  const rows = [];
  for (let d = 0; d < 6; d++) {
    rows.push(
      ...events(`w1-fix-${d}`, 10 + d, {
        client: 'fixed-op',
        kube: 20,
        verb: 'update',
        ...DEPLOY,
        namespace: 'shop',
        ts: at(WEEK1, d + 0.5),
      }),
      ...events(`w1-cron-${d}`, 2, {
        client: 'legacy-cron',
        kube: 24,
        verb: 'list',
        group: 'batch',
        version: 'v1beta1',
        resource: 'cronjobs',
        ts: at(WEEK1, d + 0.5),
      }),
      ...events(`w2-cron-${d}`, 3, {
        client: 'legacy-cron',
        kube: 24,
        verb: 'list',
        group: 'batch',
        version: 'v1beta1',
        resource: 'cronjobs',
        ts: at(WEEK2, d + 0.5),
      }),
      ...events(`w2-new-${d}`, 5, {
        client: 'new-op',
        kube: 21,
        verb: 'update',
        ...DEPLOY,
        namespace: 'shop',
        ts: at(WEEK2, d + 0.5),
        userAgent: 'new-op/<script>alert(1)</script>',
      }),
      ...events(`w2-fix-${d}`, 10, {
        client: 'fixed-op',
        clientVersion: 'v1.26.0',
        kube: 26,
        verb: 'update',
        ...DEPLOY,
        ts: at(WEEK2, d + 0.5),
      }),
      ...events(`w2-safe-${d}`, 30, {
        client: 'patcher',
        kube: 19,
        verb: 'patch',
        ...DEPLOY,
        ts: at(WEEK2, d + 0.5),
      }),
    );
  }
  rows.push(
    ...events('w2-pdb', 4, {
      client: 'pdb-user',
      kube: 0,
      verb: 'get',
      group: 'policy',
      version: 'v1beta1',
      resource: 'poddisruptionbudgets',
      ts: at(WEEK2, 1),
    }),
  );
  await insertRows(store, 'audit_events', rows);
});
afterAll(async () => store?.close());

const readDoc = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportDoc;

describe('weekly report', () => {
  it('writes md, html and json once per week, upgrade pair and cluster', async () => {
    const dir1 = join(out, 'w10');
    const first = await writeReport(store, CATALOG, { ...base, now: WEEK1, out: dir1 });
    expect(first).toMatchObject({ reportId: '2026-W10_1.22-1.25_all', created: true });
    expect(first.files.map((f) => f.slice(dir1.length + 1))).toEqual([
      'report.md',
      'report.html',
      'report.json',
    ]);
    const doc = readDoc(dir1);
    expect(doc.clients.map((c) => c.client)).toEqual(['legacy-cron', 'fixed-op']);
    expect(doc.sincePrevious.previousReportId).toBeNull();
    // Risky requests per client per day: fixed-op sent 10+d updates d days before the end.
    const fixed = doc.daily.series.find((s) => s.client === 'fixed-op')!;
    expect(doc.daily.days).toHaveLength(8);
    expect(fixed.counts.reduce((a, b) => a + b, 0)).toBe(10 + 11 + 12 + 13 + 14 + 15);
    expect(readFileSync(join(dir1, 'report.md'), 'utf8')).toContain(
      '| 2 | fixed-op | v1.20.0 | 1.20 | high |',
    );

    // Same week again (a retried job, an hour later, another output dir): the same report.
    rmSync(dir1, { recursive: true });
    const again = await writeReport(store, CATALOG, {
      ...base,
      now: new Date(WEEK1.getTime() + 3_600_000),
      out: dir1,
    });
    expect(again).toMatchObject({ reportId: first.reportId, created: false });
    expect(readDoc(dir1)).toEqual(doc);
  });

  it('tells what is new and what was fixed since the previous report', async () => {
    const dir2 = join(out, 'w11');
    const res = await writeReport(store, CATALOG, { ...base, now: WEEK2, out: dir2 });
    expect(res).toMatchObject({ reportId: '2026-W11_1.22-1.25_all', created: true });
    const doc = readDoc(dir2);
    expect(doc.clients.map((c) => [c.client, c.severity])).toEqual([
      ['legacy-cron', 'critical'],
      ['pdb-user', 'critical'],
      ['new-op', 'high'],
    ]);
    expect(doc.sincePrevious.previousReportId).toBe('2026-W10_1.22-1.25_all');
    expect(doc.sincePrevious.newClients.map((c) => c.client)).toEqual(['pdb-user', 'new-op']);
    expect(doc.sincePrevious.fixedClients.map((c) => [c.client, c.clientVersion, c.owners])).toEqual([
      ['fixed-op', 'v1.20.0', ['shop-team']],
    ]);
    expect(doc.sincePrevious.fixedFindings.map((f) => [f.client, f.change])).toEqual([
      ['fixed-op', 'field-added'],
      ['fixed-op', 'default-changed'],
    ]);
    expect(doc.clients.find((c) => c.client === 'new-op')?.owners).toEqual(['shop-team']);
  });

  it('renders report.html in headless Chromium without errors, with charts and tables', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (!r.url().startsWith('file://')) problems.push(`external request: ${r.url()}`);
      });
      await page.goto(`file://${join(out, 'w11', 'report.html')}`, { waitUntil: 'load' });
      expect(await page.title()).toContain('1.22 → 1.25');
      expect(await page.locator('svg.chart').count()).toBe(2);
      // One line per client in the daily chart, one bar per client in the top chart.
      expect(await page.locator('svg.chart polyline.series').count()).toBe(3);
      expect(await page.locator('svg.chart rect.bar').count()).toBe(3);
      const box = await page.locator('svg.chart').first().boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(await page.locator('#clients tbody tr').count()).toBe(3);
      expect(await page.locator('#clients').textContent()).toContain('shop-team');
      expect(await page.locator('table.evidence').count()).toBe(3);
      expect(await page.locator('#fixed-clients tbody tr').count()).toBe(1);
      expect(await page.locator('#new-clients tbody tr').count()).toBe(2);
      expect(await page.locator('table.evidence code').first().textContent()).toMatch(/^w2-/);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('produces one report when two runs of the same period race', async () => {
    const now = new Date('2026-03-16T12:00:00Z'); // Monday, ISO week 12
    const runs = await Promise.all([
      writeReport(store, CATALOG, { ...base, now, out: join(out, 'race-a') }),
      writeReport(store, CATALOG, { ...base, now, out: join(out, 'race-b') }),
    ]);
    expect(runs.map((r) => r.created).sort()).toEqual([false, true]);
    expect(readDoc(join(out, 'race-a'))).toEqual(readDoc(join(out, 'race-b')));
    const rs = await store.client.query({
      query: "SELECT count() AS n FROM report_history WHERE report_id = '2026-W12_1.22-1.25_all'",
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 1 }]);
  });

  it('keeps one rank snapshot per period', async () => {
    const r1 = await rank(store, CATALOG, { ...base, now: WEEK2 });
    const key = snapshotKey(WEEK2, r1.current, r1.target);
    const s1 = await saveRankSnapshot(store, r1, key);
    const other: RankResult = { ...r1, clients: [] };
    const s2 = await saveRankSnapshot(store, other, key);
    expect([s1.created, s2.created]).toEqual([true, false]);
    expect(s2.result).toEqual(r1);
    const rs = await store.client.query({
      query: 'SELECT count() AS n, any(clients) AS c, any(critical) AS k FROM rank_snapshots',
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 1, c: 3, k: 2 }]);
    const trend = await rankSnapshotTrend.run(store, {
      current: '1.22',
      target: '1.25',
      cluster: '',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-31T00:00:00Z'),
    });
    expect(trend.map((t) => [t.client, t.severity, t.requests])).toEqual([
      ['legacy-cron', 'critical', 18],
      ['new-op', 'high', 30],
      ['pdb-user', 'critical', 4],
    ]);
  });

  it('refuses bad input before writing anything', async () => {
    const dir = join(out, 'bad');
    await expect(
      writeReport(store, CATALOG, { ...base, target: '1.20', now: WEEK2, out: dir }),
    ).rejects.toThrow('must be newer');
    await expect(
      writeReport(store, CATALOG, { ...base, cluster: 'nowhere', now: WEEK2, out: dir }),
    ).rejects.toThrow('empty window');
    expect(existsSync(dir)).toBe(false);
  });
});
