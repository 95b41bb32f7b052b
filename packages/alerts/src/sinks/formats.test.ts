import { describe, expect, it } from 'vitest';
import type { Alert } from '../types.js';
import { parseSinkConfigs } from './config.js';
import { createSink } from './formats.js';

const alert = (id: string, over: Partial<Alert> = {}): Alert => ({
  id,
  cluster: 'prod',
  clusterVersion: '1.26',
  client: { name: 'my-operator', version: 'v0.21.0', kubeMinor: 21, userAgents: ['my-operator/v0.21.0'] },
  group: 'apps',
  resource: 'statefulsets',
  apiVersions: ['v1'],
  verbs: ['update'],
  severity: 'warning',
  changes: [
    {
      change: 'field-added',
      group: 'apps',
      version: 'v1',
      kind: 'StatefulSet',
      resource: 'statefulsets',
      path: 'spec.minReadySeconds',
      since: '1.22',
      key: 'k1',
    },
  ],
  requests: 3,
  objects: 1,
  users: ['u'],
  owners: ['team-a'],
  namespaces: ['ns'],
  sampleAuditIds: ['a1'],
  firstSeen: '2026-01-01T00:00:00.000Z',
  lastSeen: '2026-01-01T00:01:00.000Z',
  summary: 'my-operator <b> & co',
  ...over,
});
const now = new Date('2026-01-01T01:00:00.000Z');
const sink = (cfg: object) => createSink(parseSinkConfigs([cfg])[0]!);

describe('sink payloads', () => {
  it('webhook: one JSON document with every alert and an idempotency key', () => {
    const [r] = sink({ type: 'webhook', url: 'http://h/x', headers: { authorization: 'Bearer t' } }).requests(
      [alert('a'), alert('b')],
      now,
    );
    expect(r?.alertIds).toEqual(['a', 'b']);
    expect(r?.request.headers.authorization).toBe('Bearer t');
    expect(r?.request.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    const body = JSON.parse(r!.request.body);
    expect(body).toMatchObject({
      source: 'upgrade-radar',
      kind: 'post-upgrade-alerts',
      alerts: [{ id: 'a' }, { id: 'b' }],
    });
  });

  it('slack: blocks per alert, messages split, mrkdwn escaped', () => {
    const reqs = sink({ type: 'slack', url: 'http://h/s', maxAlertsPerMessage: 2 }).requests(
      [alert('a'), alert('b'), alert('c')],
      now,
    );
    expect(reqs.map((r) => r.alertIds)).toEqual([['a', 'b'], ['c']]);
    const msg = JSON.parse(reqs[0]!.request.body);
    expect(msg.text).toBe('upgrade-radar: 2 post-upgrade alerts');
    expect(msg.blocks[1].text.text).toContain('*[WARNING]*');
    expect(msg.blocks[1].text.text).toContain('my-operator &lt;b&gt; &amp; co');
  });

  it('alertmanager: /api/v2/alerts with labels, annotations, startsAt and endsAt', () => {
    const [r] = sink({ type: 'alertmanager', url: 'http://am:9093/', labels: { team: 'platform' } }).requests(
      [alert('a', { group: '', resource: 'services' })],
      now,
    );
    expect(r?.request.url).toBe('http://am:9093/api/v2/alerts');
    const [am] = JSON.parse(r!.request.body);
    expect(am.labels).toEqual({
      team: 'platform',
      alertname: 'KubernetesClientUpgradeRisk',
      severity: 'warning',
      cluster: 'prod',
      client: 'my-operator',
      client_version: 'v0.21.0',
      api_group: 'core',
      resource: 'services',
      owners: 'team-a',
    });
    expect(am.annotations.alert_id).toBe('a');
    expect(am.startsAt).toBe('2026-01-01T00:00:00.000Z');
    expect(am.endsAt).toBe('2026-01-01T03:00:00.000Z');
  });

  it("alertmanager: the guard's alerts carry their verdict as a label and their fields as the description", () => {
    const guard = { verdict: 'denied' as const, fields: ['dropped:spec.rules[].http.paths[].pathType'] };
    const [r] = sink({ type: 'alertmanager', url: 'http://am:9093' }).requests(
      [
        alert('g', {
          severity: 'critical',
          guard,
          summary: 'blocked 3 updates by deploy-bot 1.16 on ingresses',
        }),
      ],
      now,
    );
    const [am] = JSON.parse(r!.request.body);
    expect(am.labels).toMatchObject({ severity: 'critical', guard_verdict: 'denied' });
    expect(am.annotations.summary).toBe('blocked 3 updates by deploy-bot 1.16 on ingresses');
    expect(am.annotations.description).toBe('guard denied dropped:spec.rules[].http.paths[].pathType');
  });
});
