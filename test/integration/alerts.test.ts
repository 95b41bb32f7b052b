import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Alert,
  AlertInputError,
  checkAlerts,
  listAlerts,
  loadSinks,
  readWatermark,
  type Sink,
  SinkConfigError,
} from '../../packages/alerts/src/index.js';
import {
  ALERT_TEST_CATALOG,
  auditRow,
  type Receiver,
  startReceiver,
} from '../../packages/alerts/src/testing.js';
import { compilePolicy, parsePolicy } from '../../packages/ranking/src/index.js';
import { insertRows, migrate, openStore, type Store } from '../../packages/store/src/index.js';

// Post-upgrade alert checks against embedded ClickHouse, delivering to real HTTP receivers on
// loopback: a webhook, Slack, Alertmanager, one answering 500 and one that never answers.

let store: Store;
const receivers: Record<'webhook' | 'slack' | 'am' | 'broken' | 'slow', Receiver> = {} as never;
let sinks: Sink[];
const V = '1.25';
const opts = (cluster: string, extra: Partial<Parameters<typeof checkAlerts>[2]> = {}) => ({
  clusterVersion: V,
  cluster,
  graceMs: 0,
  sinks,
  ...extra,
});

beforeAll(async () => {
  store = await openStore({
    dataDir: mkdtempSync(join(tmpdir(), 'radar-alerts-')),
    database: 'radar_alerts_it',
  });
  await migrate(store);
  receivers.webhook = await startReceiver();
  receivers.slack = await startReceiver();
  receivers.am = await startReceiver();
  receivers.broken = await startReceiver('fail');
  receivers.slow = await startReceiver('hang');
  const fast = { retries: 2, backoffMs: 10, timeoutMs: 2_000 };
  sinks = loadSinks([
    {
      type: 'webhook',
      name: 'hook',
      url: `${receivers.webhook.url}/hook`,
      headers: { authorization: 'Bearer t0ken' },
      ...fast,
    },
    { type: 'slack', url: `${receivers.slack.url}/services/T0/B0/x`, ...fast },
    { type: 'alertmanager', name: 'am', url: receivers.am.url, labels: { team: 'platform' }, ...fast },
    { type: 'webhook', name: 'broken', url: `${receivers.broken.url}/hook`, ...fast },
    { type: 'webhook', name: 'slow', url: `${receivers.slow.url}/hook`, ...fast, timeoutMs: 300, retries: 1 },
  ]);
});

afterAll(async () => {
  for (const r of Object.values(receivers)) await r.close();
  await store?.close();
});

const alertsIn = (r: Receiver): Alert[] =>
  r.requests.flatMap((q) => ((q.body as { alerts?: Alert[] }).alerts ?? []) as Alert[]);

describe('post-upgrade alert check', () => {
  it('alerts old and unknown clients sending full updates, and any call to a removed API; nothing else', async () => {
    const at = { cluster: 'prod' };
    await insertRows(store, 'audit_events', [
      // my-operator on client 1.21: full updates of statefulsets (1.22 and 1.23 fields added since).
      auditRow({ ...at, client: 'my-operator', kube: 21, verb: 'update', name: 'db' }),
      auditRow({ ...at, client: 'my-operator', kube: 21, verb: 'update', name: 'db' }),
      auditRow({ ...at, client: 'my-operator', kube: 21, verb: 'update', name: 'cache' }),
      // Safe: status writes, patches, creates, deletes, reads, and a client already at the cluster version.
      auditRow({ ...at, client: 'my-operator', kube: 21, verb: 'update', subresource: 'status' }),
      auditRow({ ...at, client: 'patcher', kube: 20, verb: 'patch' }),
      auditRow({ ...at, client: 'creator', kube: 20, verb: 'create' }),
      auditRow({ ...at, client: 'deleter', kube: 20, verb: 'delete' }),
      auditRow({ ...at, client: 'reader', kube: 20, verb: 'get' }),
      auditRow({ ...at, client: 'modern', kube: 25, verb: 'update' }),
      // Unknown version: needs verification.
      auditRow({
        ...at,
        client: 'manager',
        kube: 0,
        verb: 'update',
        group: '',
        resource: 'services',
        name: 'web',
      }),
      // Removed group/version: any verb, any client version.
      auditRow({
        ...at,
        client: 'cron-tool',
        kube: 25,
        verb: 'list',
        group: 'batch',
        version: 'v1beta1',
        resource: 'cronjobs',
      }),
    ]);

    const res = await checkAlerts(store, ALERT_TEST_CATALOG, opts('prod'));
    expect(res.window.firstCheck).toBe(true);
    const byClient = Object.fromEntries(res.alerts.map((a) => [a.client.name, a]));
    expect(Object.keys(byClient).sort()).toEqual(['cron-tool', 'manager', 'my-operator']);
    expect(byClient['my-operator']).toMatchObject({
      severity: 'warning',
      requests: 3,
      objects: 2,
      resource: 'statefulsets',
    });
    expect(byClient['my-operator']!.changes.map((c) => c.path)).toEqual([
      'spec.minReadySeconds',
      'spec.persistentVolumeClaimRetentionPolicy',
    ]);
    expect(byClient.manager).toMatchObject({ severity: 'needs-verification', client: { kubeMinor: null } });
    expect(byClient['cron-tool']).toMatchObject({
      severity: 'critical',
      changes: [{ change: 'gvk-removed', since: '1.25' }],
    });

    // Every healthy sink got all three, whatever the broken and the hanging ones did.
    const outcome = (sink: string) => res.delivered.filter((d) => d.sink === sink);
    for (const sink of ['hook', 'slack', 'am']) {
      expect(outcome(sink).map((d) => [d.outcome, d.attempts])).toEqual([
        ['delivered', 1],
        ['delivered', 1],
        ['delivered', 1],
      ]);
    }
    expect(outcome('broken').map((d) => [d.outcome, d.attempts, d.error])).toEqual(
      Array(3).fill(['failed', 3, 'HTTP 500: internal error']),
    );
    expect(outcome('slow').map((d) => [d.outcome, d.attempts, d.error])).toEqual(
      Array(3).fill(['failed', 2, 'timed out after 300 ms']),
    );

    expect(
      alertsIn(receivers.webhook)
        .map((a) => a.client.name)
        .sort(),
    ).toEqual(['cron-tool', 'manager', 'my-operator']);
    expect(receivers.webhook.requests[0]?.headers.authorization).toBe('Bearer t0ken');
    expect(receivers.webhook.requests[0]?.path).toBe('/hook');
    const slack = receivers.slack.requests[0]?.body as { text: string; blocks: unknown[] };
    expect(slack.text).toBe('upgrade-radar: 3 post-upgrade alerts');
    expect(slack.blocks).toHaveLength(7);
    expect(receivers.am.requests[0]?.path).toBe('/api/v2/alerts');
    const am = receivers.am.requests[0]?.body as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }[];
    expect(am.map((a) => a.labels.severity).sort()).toEqual(['critical', 'needs-verification', 'warning']);
    expect(am.find((a) => a.labels.client === 'my-operator')?.labels).toMatchObject({
      alertname: 'KubernetesClientUpgradeRisk',
      cluster: 'prod',
      api_group: 'apps',
      resource: 'statefulsets',
      team: 'platform',
    });

    // The failures are recorded where `radar alerts list` reads them.
    const listed = await listAlerts(store, { since: new Date(Date.now() - 3600_000), cluster: 'prod' });
    expect(listed).toHaveLength(3);
    const op = listed.find((r) => r.client_name === 'my-operator')!;
    expect(Object.fromEntries(op.deliveries.map(([sink, outcome]) => [sink, outcome]))).toEqual({
      hook: 'delivered',
      slack: 'delivered',
      am: 'delivered',
      broken: 'failed',
      slow: 'failed',
    });
  });

  it('does not repeat alerts; a sink that comes back gets what it missed, once', async () => {
    const again = await checkAlerts(store, ALERT_TEST_CATALOG, opts('prod'));
    expect(again.window.firstCheck).toBe(false);
    expect(again.alerts).toEqual([]);
    // Only the two failing sinks are tried again (still failing).
    expect(new Set(again.delivered.map((d) => `${d.sink}:${d.outcome}`))).toEqual(
      new Set(['broken:failed', 'slow:failed']),
    );

    receivers.broken.mode = 'ok';
    receivers.slow.mode = 'ok';
    const recovered = await checkAlerts(store, ALERT_TEST_CATALOG, opts('prod'));
    expect(recovered.delivered.map((d) => d.outcome)).toEqual(Array(6).fill('delivered'));
    expect(alertsIn(receivers.broken)).toHaveLength(3);
    expect(alertsIn(receivers.slow)).toHaveLength(3);

    const quiet = await checkAlerts(store, ALERT_TEST_CATALOG, opts('prod'));
    expect(quiet.delivered).toEqual([]);
    for (const r of [receivers.webhook, receivers.broken, receivers.slow])
      expect(alertsIn(r)).toHaveLength(3);
    expect(receivers.am.requests).toHaveLength(1);
  });

  it('suppresses the same finding within the window, alerts only what is new, and again after the window', async () => {
    const t0 = new Date();
    await insertRows(store, 'audit_events', [
      auditRow({ cluster: 'prod', client: 'my-operator', kube: 21, verb: 'update', name: 'db' }),
      auditRow({
        cluster: 'prod',
        client: 'my-operator',
        kube: 21,
        verb: 'update',
        group: 'batch',
        resource: 'jobs',
      }),
    ]);
    const res = await checkAlerts(store, ALERT_TEST_CATALOG, opts('prod'));
    expect(res.suppressed).toEqual([
      {
        cluster: 'prod',
        client: 'my-operator/v1.21.0',
        resource: 'apps/statefulsets',
        keys: expect.any(Array),
      },
    ]);
    // Same client, another resource: a new finding.
    expect(res.alerts.map((a) => [a.client.name, a.resource, a.severity])).toEqual([
      ['my-operator', 'jobs', 'warning'],
    ]);

    // Past the suppression window the statefulsets finding is raised again.
    await insertRows(store, 'audit_events', [
      auditRow({ cluster: 'prod', client: 'my-operator', kube: 21, verb: 'update' }),
    ]);
    const later = await checkAlerts(
      store,
      ALERT_TEST_CATALOG,
      opts('prod', { suppressWindowMs: Date.now() - t0.getTime() + 1 }),
    );
    expect(later.alerts.map((a) => a.resource)).toEqual(['statefulsets']);
  });

  it('reads by ingestion time: an event that arrives late is still checked', async () => {
    const first = await checkAlerts(store, ALERT_TEST_CATALOG, opts('late'));
    expect(first.alerts).toEqual([]);
    const watermark = await readWatermark(store, 'late');
    expect(watermark?.toISOString()).toBe(first.window.to);
    // Happened 30 minutes ago (before the watermark), stored only now.
    await insertRows(store, 'audit_events', [
      auditRow({
        cluster: 'late',
        client: 'slowpoke',
        kube: 20,
        verb: 'update',
        ts: new Date(Date.now() - 1800_000),
      }),
    ]);
    const second = await checkAlerts(store, ALERT_TEST_CATALOG, opts('late'));
    expect(second.alerts.map((a) => a.client.name)).toEqual(['slowpoke']);
  });

  it('a check that dies after recording its alerts loses nothing and repeats nothing', async () => {
    await insertRows(store, 'audit_events', [
      auditRow({ cluster: 'crash', client: 'crashy', kube: 19, verb: 'update' }),
    ]);
    const before = alertsIn(receivers.webhook).length;
    // ClickHouse goes away right after the alerts are recorded, before any delivery.
    const dying: Store = {
      ...store,
      client: new Proxy(store.client, {
        get(target, prop) {
          const value = Reflect.get(target, prop);
          if (prop !== 'query') return typeof value === 'function' ? value.bind(target) : value;
          return (params: { query: string }) => {
            if (params.query.includes('alert_deliveries'))
              return Promise.reject(new Error('connection reset'));
            return target.query(params as Parameters<typeof target.query>[0]);
          };
        },
      }),
    };
    await expect(checkAlerts(dying, ALERT_TEST_CATALOG, opts('crash'))).rejects.toThrow('connection reset');
    expect(alertsIn(receivers.webhook).length).toBe(before);

    const restarted = await checkAlerts(store, ALERT_TEST_CATALOG, opts('crash'));
    expect(restarted.alerts).toEqual([]); // already recorded: not raised twice
    expect(restarted.delivered.filter((d) => d.sink === 'hook').map((d) => d.outcome)).toEqual(['delivered']);
    expect(alertsIn(receivers.webhook).filter((a) => a.client.name === 'crashy')).toHaveLength(1);
    await checkAlerts(store, ALERT_TEST_CATALOG, opts('crash'));
    expect(alertsIn(receivers.webhook).filter((a) => a.client.name === 'crashy')).toHaveLength(1);
  });

  it('applies the policy: allowlisted components stay quiet, overrides fix versions, owners are named', async () => {
    await insertRows(store, 'audit_events', [
      auditRow({ cluster: 'policy', client: 'kubelet', kube: 21, verb: 'update' }),
      auditRow({ cluster: 'policy', client: 'manager', kube: 0, verb: 'update' }),
    ]);
    const policy = compilePolicy(
      parsePolicy(
        {
          allow: [{ userAgent: 'kubelet/*', reason: 'upgraded with the nodes' }],
          overrides: [{ client: 'manager', kubeVersion: 'v0.22.4' }],
          owners: [{ team: 'platform', namespaces: ['ops'] }],
        },
        'policy.yaml',
      ),
    );
    const res = await checkAlerts(store, ALERT_TEST_CATALOG, opts('policy', { policy }));
    expect(res.allowlisted).toEqual([
      {
        client: 'kubelet/v1.21.0',
        user: 'system:serviceaccount:ops:kubelet',
        reason: 'upgraded with the nodes',
        requests: 1,
      },
    ]);
    expect(res.alerts).toHaveLength(1);
    expect(res.alerts[0]).toMatchObject({
      severity: 'warning',
      client: { name: 'manager', kubeMinor: 22 },
      owners: ['platform'],
      changes: [{ path: 'spec.persistentVolumeClaimRetentionPolicy' }],
    });
  });

  it('a dry run shows alerts without recording or delivering them', async () => {
    await insertRows(store, 'audit_events', [
      auditRow({ cluster: 'dry', client: 'tester', kube: 20, verb: 'update' }),
    ]);
    const dry = await checkAlerts(store, ALERT_TEST_CATALOG, opts('dry', { dryRun: true }));
    expect(dry.alerts.map((a) => a.client.name)).toEqual(['tester']);
    expect(await readWatermark(store, 'dry')).toBeNull();
    const real = await checkAlerts(store, ALERT_TEST_CATALOG, opts('dry'));
    expect(real.alerts.map((a) => a.client.name)).toEqual(['tester']);
  });

  it('refuses unknown versions and malformed sinks, writing nothing', async () => {
    await expect(
      checkAlerts(store, ALERT_TEST_CATALOG, opts('bad', { clusterVersion: '1.99' })),
    ).rejects.toThrow(AlertInputError);
    await expect(
      checkAlerts(store, ALERT_TEST_CATALOG, opts('bad', { clusterVersion: 'banana' })),
    ).rejects.toThrow(/banana/);
    expect(await readWatermark(store, 'bad')).toBeNull();
    expect(() => loadSinks('[{"type":"slack","url":"not a url"}]', 'ALERT_SINKS')).toThrow(SinkConfigError);
    expect(() => loadSinks('[{"type":"slack","url":"not a url"}]', 'ALERT_SINKS')).toThrow(
      'ALERT_SINKS[0].url',
    );
  });
});
