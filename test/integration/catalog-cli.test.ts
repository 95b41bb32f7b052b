import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { crdSpec, type FixtureKind, specPath } from '../../packages/catalog/src/testing.js';
import { REPO_ROOT, radarArgs } from '../support/repo.js';

// `radar catalog ...` as a user runs it: a real process, stdout JSON, exit codes, a temp data dir.
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function radar(args: string[]): Promise<Run> {
  const env = { ...process.env };
  delete env.CLICKHOUSE_URL; // always the embedded engine in the test's own data dir
  delete env.CLICKHOUSE_CLUSTER;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      radarArgs(['catalog', ...args]),
      { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

type Rec = {
  change: string;
  group: string;
  version: string;
  kind: string;
  resource: string;
  path?: string;
  since: string;
  source: string;
};

const cert = (version: string, spec: FixtureKind['spec']): FixtureKind => ({
  group: 'cert-manager.io',
  version,
  kind: 'Certificate',
  plural: 'certificates',
  spec,
});

describe('radar catalog', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'radar-catalog-cli-'));
  });

  it('show --format json: Ingress pathType and ingressClassName for both v1beta1 groups, 1.16 -> 1.18', async () => {
    const r = await radar(['show', '--current', '1.16', '--target', 'v1.18', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { current: string; target: string; changes: Rec[] };
    expect(out.current).toBe('1.16');
    expect(out.target).toBe('1.18');
    for (const group of ['extensions', 'networking.k8s.io']) {
      for (const path of ['spec.rules[].http.paths[].pathType', 'spec.ingressClassName']) {
        const rec = out.changes.find((c) => c.group === group && c.path === path);
        expect(rec, `${group} ${path}`).toMatchObject({
          change: 'field-added',
          version: 'v1beta1',
          kind: 'Ingress',
          resource: 'ingresses',
          since: '1.18',
        });
      }
    }
    expect(out.changes.every((c) => c.source)).toBe(true);
  });

  it('show: the 1.25 removals for 1.21 -> 1.25, in json, table and md', async () => {
    const r = await radar(['show', '--current', '1.21.4', '--target', '1.25', '--format', 'json']);
    expect(r.code).toBe(0);
    const removed = (JSON.parse(r.stdout) as { changes: Rec[] }).changes.filter(
      (c) => c.change === 'gvk-removed' && c.since === '1.25',
    );
    const got = removed.map((c) => `${c.group}/${c.version}/${c.resource}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'batch/v1beta1/cronjobs',
        'policy/v1beta1/poddisruptionbudgets',
        'discovery.k8s.io/v1beta1/endpointslices',
        'events.k8s.io/v1beta1/events',
        'node.k8s.io/v1beta1/runtimeclasses',
      ]),
    );
    const table = await radar(['show', '--current', '1.21', '--target', '1.25']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^SINCE\s+CHANGE\s+API VERSION\s+KIND\s+PATH\s+NOTE$/);
    expect(table.stdout).toMatch(
      /1\.25\s+gvk-removed\s+batch\/v1beta1\s+CronJob\s+use batch\/v1 \(served since 1\.21\)/,
    );
    const md = await radar(['show', '--current', '1.21', '--target', '1.25', '--format', 'md']);
    expect(md.stdout).toContain('| SINCE | CHANGE | API VERSION | KIND | PATH | NOTE | SOURCE |');
    expect(md.stdout).toContain('| 1.25 | gvk-removed | policy/v1beta1 | PodDisruptionBudget |');
  });

  it("show: versions as kubectl and providers print them give the plain minors' changes", async () => {
    const plain = await radar(['show', '--current', '1.21', '--target', '1.25', '--format', 'json']);
    for (const [current, target] of [
      ['v1.21.4', 'v1.25.0'],
      ['v1.21.14-gke.100', 'v1.25.16-eks-abc'],
      ['v1.21.2+k3s1', '1.25.3'],
    ]) {
      const r = await radar(['show', '--current', current!, '--target', target!, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, `${current} -> ${target}`).toBe(plain.stdout);
    }
  });

  it('resources: one line per affected resource with counts by change type', async () => {
    const r = await radar(['resources', '--current', '1.21', '--target', '1.25']);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('cronjobs.batch '));
    expect(line).toMatch(/gvk-removed=\d+ .*field-added=\d+/);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('cronjobs.batch '))).toHaveLength(1);
    const j = await radar(['resources', '--current', '1.21', '--target', '1.25', '--format', 'json']);
    const res = (
      JSON.parse(j.stdout) as {
        resources: Array<{ group: string; resource: string; counts: Record<string, number> }>;
      }
    ).resources;
    expect(
      res.find((x) => x.group === 'policy' && x.resource === 'poddisruptionbudgets')?.counts['gvk-removed'],
    ).toBeGreaterThanOrEqual(1);
  });

  it('diff: two real specs, gzipped, in the same output shape', async () => {
    const r = await radar([
      'diff',
      '--from-spec',
      specPath('1.16'),
      '--to-spec',
      specPath('1.18'),
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { current: string; target: string; changes: Rec[] };
    expect([out.current, out.target]).toEqual(['1.16', '1.18']);
    const pt = out.changes.filter((c) => c.path === 'spec.rules[].http.paths[].pathType').map((c) => c.group);
    expect(pt.sort()).toEqual(['extensions', 'networking.k8s.io']);
    expect(out.changes[0]?.source).toBe('openapi diff v1.16->v1.18');
  });

  it.each([
    [['show', '--current', '1.99', '--target', '1.25'], /--current: unknown Kubernetes version '1\.99'/],
    [['show', '--current', 'latest', '--target', '1.25'], /--current: not a Kubernetes version: 'latest'/],
    [
      ['show', '--current', '1.25', '--target', '1.21'],
      /target version 1\.21 is older than current version 1\.25/,
    ],
    [
      ['show', '--current', '1.21', '--target', '1.25', '--format', 'xml'],
      /option '--format <format>' argument 'xml' is invalid. Allowed choices are json, table, md/,
    ],
    [['resources', '--current', '1.21', '--target', '1.99.0'], /--target: unknown Kubernetes version/],
    [
      ['show', '--current', 'v1.18-gke.3', '--target', '1.20'],
      /--current: not a Kubernetes version: 'v1.18-gke.3'/,
    ],
    [['show', '--current', '1.21', '--target', 'v1.99.0+k3s1'], /--target: unknown Kubernetes version/],
  ])('refuses %j with exit code 2', async (args, message) => {
    const r = await radar(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('refuses a document that is not a Swagger spec, and truncated gzip, writing nothing', async () => {
    const notSwagger = join(tmp, 'events.json');
    writeFileSync(notSwagger, JSON.stringify({ kind: 'EventList', items: [] }));
    const cut = join(tmp, 'cut.json.gz');
    writeFileSync(cut, readFileSync(specPath('1.18')).subarray(0, 10_000));
    const dataDir = join(tmp, 'never-written');
    for (const [args, message] of [
      [
        ['diff', '--from-spec', notSwagger, '--to-spec', specPath('1.18')],
        `${notSwagger}: not a Swagger/OpenAPI v2 document`,
      ],
      [['diff', '--from-spec', specPath('1.16'), '--to-spec', cut], `${cut}: broken gzip data`],
      [
        ['import', '--spec', cut, '--name', 'prod', '--k8s-version', '1.27', '--data-dir', dataDir],
        `${cut}: broken gzip data`,
      ],
      [
        ['import', '--spec', notSwagger, '--name', 'prod', '--k8s-version', '1.27', '--data-dir', dataDir],
        'not a Swagger',
      ],
      [
        [
          'import',
          '--spec',
          specPath('1.18'),
          '--name',
          'prod',
          '--k8s-version',
          'latest',
          '--data-dir',
          dataDir,
        ],
        "'latest'",
      ],
    ] as const) {
      const r = await radar([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('import: consecutive imports of a CRD catalog join show --imports', async () => {
    const dataDir = join(tmp, 'data');
    const str = { type: 'string' };
    const before = join(tmp, 'cert-manager-1.5.json');
    const after = join(tmp, 'cert-manager-1.14.json.gz');
    writeFileSync(
      before,
      JSON.stringify(
        crdSpec(
          [
            cert('v1alpha2', { properties: { dnsNames: str } }),
            cert('v1', { properties: { dnsNames: str } }),
          ],
          'unversioned',
        ),
      ),
    );
    writeFileSync(
      after,
      gzipSync(
        JSON.stringify(
          crdSpec(
            [
              cert('v1', {
                properties: { dnsNames: str, secretTemplate: { properties: { labels: { type: 'object' } } } },
              }),
            ],
            'unversioned',
          ),
        ),
      ),
    );

    const noVersion = await radar([
      'import',
      '--spec',
      before,
      '--name',
      'cert-manager',
      '--data-dir',
      dataDir,
    ]);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toMatch(/cannot tell at which Kubernetes version/);
    expect(existsSync(dataDir)).toBe(false);

    const first = await radar([
      'import',
      '--spec',
      before,
      '--name',
      'cert-manager',
      '--k8s-version',
      '1.27',
      '--data-dir',
      dataDir,
    ]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ name: 'cert-manager', minor: '1.27', kinds: 2 });
    const second = await radar([
      'import',
      '--spec',
      after,
      '--name',
      'cert-manager',
      '--k8s-version',
      '1.28.3',
      '--data-dir',
      dataDir,
    ]);
    expect(second.code).toBe(0);
    expect(readdirSync(dataDir)).toContain('clickhouse');

    const r = await radar([
      'show',
      '--current',
      '1.27',
      '--target',
      '1.28',
      '--imports',
      '--data-dir',
      dataDir,
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const user = (JSON.parse(r.stdout) as { changes: Rec[] }).changes.filter(
      (c) => c.group === 'cert-manager.io',
    );
    expect(user.map((c) => `${c.change} ${c.version} ${c.path ?? ''}`)).toEqual([
      'field-added v1 spec.secretTemplate',
      'gvk-removed v1alpha2 ',
    ]);
    expect(user[0]?.source).toBe('user catalog cert-manager: import 1.27 -> 1.28');
    // Without --imports only the built-in catalog is shown.
    const builtinOnly = await radar(['show', '--current', '1.27', '--target', '1.28', '--format', 'json']);
    expect(
      (JSON.parse(builtinOnly.stdout) as { changes: Rec[] }).changes.some(
        (c) => c.group === 'cert-manager.io',
      ),
    ).toBe(false);
  });
});
