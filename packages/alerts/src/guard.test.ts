import type { Change } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { buildGuardAlerts, type GuardRow } from './guard.js';
import { ruleSet } from './rules.js';
import { suppress } from './suppress.js';
import type { ClientPolicy } from './types.js';

const PATH = 'spec.rules[].http.paths[].pathType';
const catalog: Change[] = [
  {
    change: 'field-added',
    group: 'networking.k8s.io',
    version: 'v1beta1',
    kind: 'Ingress',
    resource: 'ingresses',
    path: PATH,
    since: '1.18',
    source: 'test',
  },
];
const rules = ruleSet(catalog, 18);
const ctx = { clusterVersion: '1.18', windowId: 'prod|w1' };

const row = (r: Partial<GuardRow>): GuardRow => ({
  cluster: 'prod',
  client_name: 'deploy-bot',
  client_version: '1.16.3',
  client_kube_minor: 16,
  username: 'ci-deployer',
  api_group: 'networking.k8s.io',
  api_version: 'v1beta1',
  resource: 'ingresses',
  verb: 'update',
  full_update: 1,
  verdict: 'denied',
  fields: `dropped:${PATH}`,
  requests: 12,
  objects: 3,
  namespaces: ['shop'],
  user_agents: ['deploy-bot/v1.16.3 (linux/amd64) kubernetes/b3cbbae'],
  sample_ids: ['a1', 'a2'],
  first_seen: '2026-03-02T08:00:00.000Z',
  last_seen: '2026-03-02T08:40:00.000Z',
  ...r,
});

describe('guard alerts', () => {
  it('says what the guard did in the issue words: blocked 12 updates by deploy-bot 1.16 on ingresses', () => {
    const [a, ...rest] = buildGuardAlerts([row({})], rules, ctx);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      severity: 'critical',
      cluster: 'prod',
      group: 'networking.k8s.io',
      resource: 'ingresses',
      requests: 12,
      objects: 3,
      users: ['ci-deployer'],
      guard: { verdict: 'denied', fields: [`dropped:${PATH}`] },
      changes: [{ change: 'field-added', path: PATH, since: '1.18' }],
    });
    expect(a!.summary).toBe(
      `blocked 12 updates by deploy-bot 1.16 on ingresses (networking.k8s.io, cluster prod, v1.18): dropped:${PATH}; user ci-deployer`,
    );
  });

  it('alerts a warning apart from a denial, and names a client of unknown version by what it said', () => {
    const alerts = buildGuardAlerts(
      [
        row({}),
        row({ verdict: 'warned', requests: 1, client_kube_minor: 0, client_version: 'v0.0.0' }),
        row({
          verdict: 'warned',
          requests: 1,
          client_kube_minor: 0,
          client_version: 'v0.0.0',
          username: 'ops',
        }),
      ],
      rules,
      ctx,
    );
    expect(alerts.map((a) => [a.severity, a.guard?.verdict, a.requests])).toEqual([
      ['critical', 'denied', 12],
      ['warning', 'warned', 2],
    ]);
    expect(alerts[1]!.summary).toBe(
      `warned on 2 updates (allowed: the fields were lost) by deploy-bot v0.0.0 on ingresses (networking.k8s.io, cluster prod, v1.18): dropped:${PATH}; users ci-deployer, ops`,
    );
  });

  it('suppresses a finding already alerted, field by field, keeping the verdict as severity', () => {
    const [first] = buildGuardAlerts([row({})], rules, ctx);
    const again = buildGuardAlerts([row({ fields: `dropped:${PATH},reset:spec.other` })], rules, {
      ...ctx,
      windowId: 'prod|w2',
    });
    const split = suppress(again, new Set(first!.changes.map((c) => c.key)));
    expect(split.suppressed).toHaveLength(1);
    expect(split.fresh.map((a) => [a.severity, a.changes.map((c) => c.path)])).toEqual([
      ['critical', ['spec.other']],
    ]);
    expect(split.fresh[0]!.summary).toContain('blocked 12 updates by deploy-bot 1.16 on ingresses');
    expect(split.fresh[0]!.summary).toContain(': reset:spec.other;');
    expect(split.fresh[0]!.changes[0]).toMatchObject({ change: 'default-changed', version: '*', since: '' });
  });

  it('still alerts a verdict whose fields are missing, once, and skips allowlisted users', () => {
    const [a] = buildGuardAlerts([row({ fields: '' })], rules, ctx);
    expect(a!.changes).toHaveLength(1);
    expect(a!.summary).toContain('fields not named');
    const policy: ClientPolicy = {
      allowed: (_uas, user) => (user === 'ci-deployer' ? 'lockstep' : undefined),
      kubeMinor: () => undefined,
      owners: () => ['team-web'],
    };
    const kept = buildGuardAlerts([row({}), row({ username: 'ops' })], rules, { ...ctx, policy });
    expect(kept.map((x) => [x.users, x.owners])).toEqual([[['ops'], ['team-web']]]);
  });
});
