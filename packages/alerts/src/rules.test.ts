import type { Change } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { applyPolicy, buildAlerts, candidateParams, ruleSet } from './rules.js';
import { suppress } from './suppress.js';
import type { CandidateRow } from './types.js';

const change = (c: Partial<Change> & Pick<Change, 'change' | 'since'>): Change => ({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  source: 'test',
  ...c,
});

const catalog: Change[] = [
  change({ change: 'field-added', path: 'spec.minReadySeconds', since: '1.22' }),
  change({ change: 'field-added', path: 'spec.persistentVolumeClaimRetentionPolicy', since: '1.23' }),
  change({ change: 'field-added', path: 'spec.ordinals', since: '1.26' }),
  change({ change: 'field-added', path: 'spec.future', since: '1.31' }),
  change({ change: 'gvk-deprecated', since: '1.20' }),
  change({
    change: 'gvk-removed',
    group: 'batch',
    version: 'v1beta1',
    kind: 'CronJob',
    resource: 'cronjobs',
    since: '1.25',
  }),
  change({
    change: 'gvk-removed',
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1beta3',
    kind: 'FlowSchema',
    resource: 'flowschemas',
    since: '1.32',
  }),
];

const row = (r: Partial<CandidateRow>): CandidateRow => ({
  cluster: 'prod',
  client_name: 'my-operator',
  client_version: 'v0.21.0',
  client_kube_minor: 21,
  api_group: 'apps',
  api_version: 'v1',
  resource: 'statefulsets',
  verb: 'update',
  full_update: 1,
  verdict: '',
  fields: '',
  requests: 10,
  objects: 3,
  username: 'system:serviceaccount:ops:op',
  namespaces: ['ops'],
  user_agents: ['my-operator/v0.21.0'],
  sample_ids: ['a1'],
  first_seen: '2026-01-01T00:00:00.000Z',
  last_seen: '2026-01-01T00:10:00.000Z',
  ...r,
});

const ctx = { clusterVersion: '1.26', windowId: 'w1' };

describe('ruleSet', () => {
  it('forgets fields that were removed again by the cluster version', () => {
    const withGone = [
      ...catalog,
      change({ change: 'field-added', path: 'spec.old', since: '1.17' }),
      change({ change: 'field-removed', path: 'spec.old', since: '1.22' }),
    ];
    const paths = (minor: number) =>
      ruleSet(withGone, minor)
        .fieldChanges.get('apps/statefulsets')
        ?.map((c) => c.path);
    expect(paths(21)).toContain('spec.old');
    expect(paths(26)).not.toContain('spec.old');
  });

  it('keeps field changes and removals at or below the cluster minor only', () => {
    const p = candidateParams(ruleSet(catalog, 26));
    expect(p.field_resources).toEqual(['apps/statefulsets']);
    expect(p.removed).toEqual(['batch/v1beta1/cronjobs']);
  });
});

describe('buildAlerts', () => {
  const rules = ruleSet(catalog, 26);

  it('lists the changes newer than the client, up to the cluster', () => {
    const [a] = buildAlerts([row({})], rules, ctx);
    expect(a?.severity).toBe('warning');
    expect(a?.changes.map((c) => c.path)).toEqual([
      'spec.minReadySeconds',
      'spec.persistentVolumeClaimRetentionPolicy',
      'spec.ordinals',
    ]);
    expect(a?.summary).toContain('older than spec.minReadySeconds');
  });

  it('raises nothing for a client that already knows every change', () => {
    expect(buildAlerts([row({ client_kube_minor: 26 })], rules, ctx)).toEqual([]);
    expect(buildAlerts([row({ client_kube_minor: 25 })], rules, ctx)[0]?.changes).toHaveLength(1);
  });

  it('does not count writes that are not full updates of the main resource', () => {
    expect(buildAlerts([row({ full_update: 0, verb: 'patch' })], rules, ctx)).toEqual([]);
    expect(buildAlerts([row({ full_update: 0 })], rules, ctx)).toEqual([]);
  });

  it('asks for verification when the client version is unknown', () => {
    const [a] = buildAlerts([row({ client_kube_minor: 0, client_version: 'v0.0.0' })], rules, ctx);
    expect(a?.severity).toBe('needs-verification');
    expect(a?.client.kubeMinor).toBeNull();
    expect(a?.changes).toHaveLength(3);
  });

  it('flags any request on a removed group/version, whatever the client version', () => {
    const [a] = buildAlerts(
      [
        row({
          api_group: 'batch',
          api_version: 'v1beta1',
          resource: 'cronjobs',
          verb: 'list',
          full_update: 0,
          client_kube_minor: 30,
        }),
      ],
      rules,
      ctx,
    );
    expect(a?.severity).toBe('critical');
    expect(a?.changes.map((c) => c.change)).toEqual(['gvk-removed']);
  });

  it('groups rows of one client and resource into one alert, and separates clients', () => {
    const alerts = buildAlerts(
      [
        row({ verb: 'update', requests: 4 }),
        row({ api_version: 'v1', verb: 'update', requests: 6, namespaces: ['b'] }),
        row({ client_name: 'other', requests: 1 }),
      ],
      rules,
      ctx,
    );
    expect(alerts.map((a) => [a.client.name, a.requests])).toEqual([
      ['my-operator', 10],
      ['other', 1],
    ]);
    expect(alerts[0]?.namespaces).toEqual(['b', 'ops']);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(2);
  });

  it('gives each (cluster, client, resource, change) its own suppression key', () => {
    const a = buildAlerts([row({})], rules, ctx)[0]!;
    const b = buildAlerts([row({ cluster: 'staging' })], rules, ctx)[0]!;
    expect(a.changes[0]?.key).not.toBe(b.changes[0]?.key);
    expect(buildAlerts([row({})], rules, { ...ctx, windowId: 'w2' })[0]?.changes[0]?.key).toBe(
      a.changes[0]?.key,
    );
  });
});

describe('suppress', () => {
  const rules = ruleSet(catalog, 26);
  const [alert] = buildAlerts([row({})], rules, ctx);

  it('drops already alerted changes and keeps the rest', () => {
    const seen = new Set([alert!.changes[0]!.key]);
    const { fresh, suppressed } = suppress([alert!], seen);
    expect(fresh[0]?.changes).toHaveLength(2);
    expect(fresh[0]?.summary).not.toContain('spec.minReadySeconds');
    expect(suppressed[0]?.keys).toEqual([alert!.changes[0]!.key]);
  });

  it('suppresses an alert whose every change was alerted', () => {
    const { fresh, suppressed } = suppress([alert!], new Set(alert!.changes.map((c) => c.key)));
    expect(fresh).toEqual([]);
    expect(suppressed).toHaveLength(1);
  });
});

describe('applyPolicy', () => {
  const rules = ruleSet(catalog, 26);
  const policy = {
    allowed: (uas: readonly string[], user: string) =>
      uas.every((ua) => ua.startsWith('kubelet/')) || user === 'system:node:n1' ? 'lockstep' : undefined,
    kubeMinor: (client: string) => (client === 'manager' ? 25 : undefined),
    owners: (namespaces: readonly string[]) => (namespaces.includes('ops') ? ['platform'] : []),
  };

  it('drops allowlisted traffic, applies version overrides, and names owners', () => {
    const rows = [
      row({ client_name: 'kubelet', user_agents: ['kubelet/v1.21.0'] }),
      row({ client_name: 'manager', client_version: 'v0.0.0', client_kube_minor: 0 }),
    ];
    const screened = applyPolicy(rows, policy);
    expect(screened.allowlisted).toEqual([
      { client: 'kubelet/v0.21.0', user: 'system:serviceaccount:ops:op', reason: 'lockstep', requests: 10 },
    ]);
    const [a] = buildAlerts(screened.rows, rules, { ...ctx, policy });
    // Overridden to 1.25: only the 1.26 change is newer, and the version is known now.
    expect(a).toMatchObject({
      severity: 'warning',
      client: { name: 'manager', kubeMinor: 25 },
      owners: ['platform'],
    });
    expect(a?.changes.map((c) => c.path)).toEqual(['spec.ordinals']);
  });

  it('passes rows through without a policy', () => {
    expect(applyPolicy([row({})], undefined).rows).toHaveLength(1);
  });
});
