import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, CheckResult } from '../../packages/alerts/src/index.js';
import { type Receiver, startReceiver } from '../../packages/alerts/src/testing.js';
import { auditEvent } from '../support/events.js';
import { runRadar } from '../support/processes.js';

// `radar alerts` end to end as users run it: an audit log ingested with `radar ingest`, the
// built-in catalog, a sinks file pointing at a loopback webhook.

const dir = mkdtempSync(join(tmpdir(), 'radar-alerts-cli-'));
const dataDir = join(dir, 'data');
let hook: Receiver;
const env = { RADAR_DATA_DIR: dataDir, ALERT_INGEST_GRACE_MS: '0', ALERT_SINKS: '' };

beforeAll(async () => {
  hook = await startReceiver();
  writeFileSync(
    join(dir, 'sinks.json'),
    JSON.stringify([{ type: 'webhook', name: 'ops', url: `${hook.url}/hook` }]),
  );
  const now = new Date();
  const events = [
    // An operator built on client-go 1.21 replacing whole StatefulSets: fields of 1.22-1.25 get dropped.
    ...[0, 1, 2].map((i) =>
      auditEvent({
        verb: 'update',
        group: 'apps',
        version: 'v1',
        resource: 'statefulsets',
        namespace: 'db',
        name: `pg-${i}`,
        userAgent: 'pg-operator/v1.21.3 (linux/amd64) kubernetes/ca643a4',
        time: now,
      }),
    ),
    // Safe: kubectl patches, a status writer.
    auditEvent({
      verb: 'patch',
      group: 'apps',
      version: 'v1',
      resource: 'statefulsets',
      userAgent: 'kubectl/v1.20.4 (linux/amd64) kubernetes/e87da0b',
      time: now,
    }),
    auditEvent({
      verb: 'update',
      group: 'apps',
      version: 'v1',
      resource: 'statefulsets',
      subresource: 'status',
      userAgent: 'pg-operator/v1.21.3 (linux/amd64) kubernetes/ca643a4',
      time: now,
    }),
    // A removed API still called: batch/v1beta1 CronJob is gone in 1.25.
    auditEvent({
      verb: 'list',
      group: 'batch',
      version: 'v1beta1',
      resource: 'cronjobs',
      userAgent: 'backup-tool/v1.25.0 (linux/amd64) kubernetes/a866cbe',
      time: now,
    }),
  ];
  writeFileSync(join(dir, 'audit.jsonl'), `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const ingest = await runRadar(['ingest', '--file', join(dir, 'audit.jsonl'), '--cluster', 'prod'], env);
  expect(ingest.code, ingest.stderr).toBe(0);
});

afterAll(async () => hook?.close());

describe('radar alerts', () => {
  it('check: alerts the old full updater and the removed API caller, delivers, then finds nothing new', async () => {
    const r = await runRadar(
      [
        'alerts',
        'check',
        '--cluster-version',
        '1.25.4',
        '--sinks',
        join(dir, 'sinks.json'),
        '--format',
        'json',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as CheckResult;
    expect(res.clusterVersion).toBe('1.25');
    const byClient = Object.fromEntries(res.alerts.map((a) => [a.client.name, a]));
    expect(Object.keys(byClient).sort()).toEqual(['backup-tool', 'pg-operator']);
    expect(byClient['pg-operator']).toMatchObject({
      severity: 'warning',
      requests: 3,
      objects: 3,
      resource: 'statefulsets',
    });
    const paths = byClient['pg-operator']!.changes.map((c) => c.path);
    expect(paths).toContain('spec.minReadySeconds');
    expect(paths).toContain('spec.persistentVolumeClaimRetentionPolicy');
    expect(
      byClient['pg-operator']!.changes.every((c) => ['1.22', '1.23', '1.24', '1.25'].includes(c.since)),
    ).toBe(true);
    expect(byClient['backup-tool']).toMatchObject({ severity: 'critical' });
    expect(res.delivered.map((d) => d.outcome)).toEqual(['delivered', 'delivered']);
    const sent = hook.requests.flatMap((q) => (q.body as { alerts: Alert[] }).alerts);
    expect(sent.map((a) => a.client.name).sort()).toEqual(['backup-tool', 'pg-operator']);

    // The same minor as a provider prints it: the same alerts, so nothing new.
    const again = await runRadar(
      ['alerts', 'check', '--cluster-version', 'v1.25.4-eks-abc', '--sinks', join(dir, 'sinks.json')],
      env,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 new alerts');
    expect(hook.requests).toHaveLength(1);

    const list = await runRadar(['alerts', 'list', '--format', 'json'], env);
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as {
      client_name: string;
      deliveries: { sink: string; outcome: string }[];
    }[];
    expect(rows.map((x) => [x.client_name, x.deliveries])).toEqual(
      expect.arrayContaining([
        ['pg-operator', [{ sink: 'ops', outcome: 'delivered', attempts: 1, error: '' }]],
        ['backup-tool', [{ sink: 'ops', outcome: 'delivered', attempts: 1, error: '' }]],
      ]),
    );
  });

  it('refuses bad input with a clear message, exit code 2 and nothing written', async () => {
    const fresh = join(dir, 'untouched');
    const run = (args: string[], extra: Record<string, string> = {}) =>
      runRadar(['alerts', 'check', '--data-dir', fresh, ...args], { ...env, ...extra });

    const unknown = await run(['--cluster-version', '1.99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--cluster-version: unknown Kubernetes version '1.99'");
    for (const bad of ['latest', 'v1.25-gke.1', '1.25.4 eks']) {
      const r = await run(['--cluster-version', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--cluster-version: not a Kubernetes version: '${bad}'`);
    }

    const missing = await run([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      '--cluster-version not given and not derivable: no control-plane traffic',
    );

    writeFileSync(
      join(dir, 'bad-sinks.json'),
      '[{"type":"slack","url":"hooks.slack.com/x"},{"type":"pagerduty"}]',
    );
    const badSinks = await run(['--cluster-version', '1.25', '--sinks', join(dir, 'bad-sinks.json')]);
    expect(badSinks.code).toBe(2);
    expect(badSinks.stderr).toContain('bad-sinks.json[0].url: must be an http(s) URL');
    expect(badSinks.stderr).toContain('bad-sinks.json[1].type');

    const badEnv = await run(['--cluster-version', '1.25'], { ALERT_SINKS: '{not json' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('ALERT_SINKS: not valid JSON');

    const badSince = await run(['--cluster-version', '1.25', '--since', 'yesterday']);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('--since');

    expect(existsSync(fresh)).toBe(false);
  });
});
