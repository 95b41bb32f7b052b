import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { events } from '../../packages/ranking/src/testing.js';
import { insertRows, migrate, openStore } from '../../packages/store/src/index.js';
import { radarOnDataDir } from '../support/processes.js';

// `radar rank` and `radar report` as users run them, with the built-in catalog, against an
// embedded store the test filled and closed (one process per chDB data dir).
const dataDir = mkdtempSync(join(tmpdir(), 'radar-rank-cli-'));
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' } as const;

const radar = (args: string[]) => radarOnDataDir(dataDir, args);

beforeAll(async () => {
  const store = await openStore({ dataDir, database: 'radar' });
  try {
    await migrate(store);
    await insertRows(store, 'audit_events', [
      ...events('cron', 4, {
        client: 'legacy-cron',
        kube: 24,
        verb: 'list',
        group: 'batch',
        version: 'v1beta1',
        resource: 'cronjobs',
        ts: hoursAgo(5),
      }),
      ...events('old', 6, {
        client: 'old-operator',
        kube: 21,
        verb: 'update',
        ...DEPLOY,
        ts: hoursAgo(3),
        namespace: 'shop',
      }),
      ...events('blind', 2, {
        client: 'blind',
        clientVersion: 'v0.0.0',
        kube: 0,
        verb: 'update',
        ...DEPLOY,
        ts: hoursAgo(2),
      }),
      ...events('patch', 50, { client: 'patcher', kube: 20, verb: 'patch', ...DEPLOY, ts: hoursAgo(2) }),
      ...events('status', 50, {
        client: 'status-writer',
        kube: 20,
        verb: 'update',
        ...DEPLOY,
        subresource: 'status',
        ts: hoursAgo(2),
      }),
      ...events('new', 50, { client: 'up-to-date', kube: 25, verb: 'update', ...DEPLOY, ts: hoursAgo(2) }),
    ]);
  } finally {
    await store.close();
  }
});

describe('radar rank / radar report', () => {
  it('prints the ranking as JSON with the built-in catalog', async () => {
    const policy = join(dataDir, 'policy.yaml');
    writeFileSync(policy, 'owners:\n  - team: shop-team\n    namespaces: [shop]\n');
    const res = await radar([
      'rank',
      '--current',
      '1.22.4',
      '--target',
      '1.25',
      '--since',
      '1d',
      '--format',
      'json',
      '--policy',
      policy,
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.current).toBe('1.22');
    expect(out.target).toBe('1.25');
    expect(out.clients.map((c: { client: string; severity: string }) => [c.client, c.severity])).toEqual([
      ['legacy-cron', 'critical'],
      ['old-operator', 'high'],
      ['blind', 'needs-verification'],
    ]);
    const op = out.clients[1];
    expect(op.owners).toEqual(['shop-team']);
    expect(op.findings.length).toBeGreaterThan(0);
    for (const f of op.findings) {
      expect(f).toMatchObject({
        change: expect.stringMatching(/^(field-added|default-changed)$/),
        verb: 'update',
        count: 6,
      });
      expect(Number(f.since.split('.')[1])).toBeGreaterThan(22);
    }
  });

  it('reads the versions kubectl and providers print as their minors', async () => {
    const plain = await radar([
      'rank',
      '--current',
      '1.22',
      '--target',
      '1.25',
      '--since',
      '1d',
      '--format',
      'json',
    ]);
    const forms = await radar([
      'rank',
      '--current',
      'v1.22.17-gke.100',
      '--target',
      'v1.25.3+k3s1',
      '--since',
      '1d',
      '--format',
      'json',
    ]);
    expect(forms.stderr).toBe('');
    expect(forms.code).toBe(0);
    const [a, b] = [JSON.parse(plain.stdout), JSON.parse(forms.stdout)];
    expect([b.current, b.target]).toEqual(['1.22', '1.25']);
    expect(b.clients).toEqual(a.clients);
  });

  it('prints a table and markdown', async () => {
    const table = await radar(['rank', '--current', '1.22', '--target', '1.25', '--since', '1d']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('3 risky clients');
    expect(table.stdout).toMatch(/1\s+legacy-cron/);
    const md = await radar([
      'rank',
      '--current',
      '1.22',
      '--target',
      '1.25',
      '--since',
      '1d',
      '--format',
      'md',
    ]);
    expect(md.stdout).toContain('| 1 | legacy-cron |');
  });

  it('exits 2 with a clear message on bad input', async () => {
    const cases: [string[], string][] = [
      [['--current', '1.22', '--target', '1.99'], "unknown Kubernetes version '1.99'"],
      [
        ['--current', '1.25', '--target', '1.25'],
        'target version 1.25 must be newer than current version 1.25',
      ],
      [['--current', '1.22', '--target', 'latest'], "not a Kubernetes version: 'latest'"],
      [['--current', 'v1.22-eks', '--target', '1.25'], "not a Kubernetes version: 'v1.22-eks'"],
      [['--current', 'v1.22.4', '--target', 'v1.99.1-gke.2'], "unknown Kubernetes version 'v1.99.1-gke.2'"],
      [['--current', '1.22', '--target', '1.25', '--since', 'forever'], 'window "forever"'],
      [['--current', '1.22', '--target', '1.25', '--cluster', 'nowhere'], 'empty window'],
      [
        ['--current', '1.22', '--target', '1.25', '--format', 'xml'],
        "option '--format <format>' argument 'xml' is invalid",
      ],
      [['--current', '1.22', '--target', '1.25', '--from', 'yesterday'], '--from "yesterday"'],
      [['--current', '1.22', '--target', '1.25', '--to', '2026-02-30'], '--to "2026-02-30"'],
      [
        ['--current', '1.22', '--target', '1.25', '--from', '2026-03-02', '--to', '2026-03-01'],
        'window is empty',
      ],
    ];
    for (const [args, message] of cases) {
      const res = await radar(['rank', ...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain(message);
      expect(res.stdout).toBe('');
    }
    const bad = join(dataDir, 'bad-policy.yaml');
    writeFileSync(bad, 'allow:\n  - reason: no pattern\n');
    const res = await radar(['rank', '--current', '1.22', '--target', '1.25', '--policy', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`policy ${bad}: allow[0]: needs userAgent or user`);
  });

  it('ranks a past window given by --from and --to', async () => {
    const now = Date.now();
    const iso = (h: number) => new Date(now - h * 3_600_000).toISOString();
    const res = await radar([
      'rank',
      '--current',
      '1.22',
      '--target',
      '1.25',
      '--format',
      'json',
      '--from',
      iso(4),
      '--to',
      iso(2.5),
    ]);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { window: { from: string }; clients: { client: string }[] };
    // Only the operator's updates (3 h ago) fall inside; the cron job (5 h) and the rest (2 h) do not.
    expect(out.clients.map((c) => c.client)).toEqual(['old-operator']);
    expect(new Date(out.window.from).toISOString()).toBe(iso(4));
  });

  it('writes the weekly report once per week', async () => {
    const out = join(dataDir, 'report');
    const first = await radar([
      'report',
      '--current',
      '1.22',
      '--target',
      '1.25',
      '--since',
      '1d',
      '--out',
      out,
    ]);
    expect(first.code).toBe(0);
    const res = JSON.parse(first.stdout);
    expect(res).toMatchObject({
      dir: out,
      created: true,
      reportId: expect.stringMatching(/^\d{4}-W\d\d_1\.22-1\.25_all$/),
    });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
    const second = JSON.parse(
      (await radar(['report', '--current', '1.22', '--target', '1.25', '--since', '1d', '--out', out]))
        .stdout,
    );
    expect(second).toMatchObject({ reportId: res.reportId, created: false });
    const rerun = await radar([
      'report',
      '--current',
      '1.22',
      '--target',
      '1.25',
      '--since',
      '2d',
      '--out',
      out,
    ]);
    expect(rerun.stderr).toContain(`the report ${res.reportId} for this week already exists`);
    const bad = await radar([
      'report',
      '--current',
      '1.25',
      '--target',
      '1.22',
      '--out',
      join(dataDir, 'nope'),
    ]);
    expect(bad.code).toBe(2);
    expect(existsSync(join(dataDir, 'nope'))).toBe(false);
  });
});
