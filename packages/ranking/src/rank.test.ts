import { describe, expect, it } from 'vitest';
import { RankInputError } from './errors.js';
import { planRank, type RankOptions, rankRows } from './rank.js';
import type { CandidateRow } from './rows.js';
import { TEST_CATALOG } from './testing.js';

const now = new Date('2026-03-10T00:00:00Z');
function row(over: Partial<CandidateRow>): CandidateRow {
  return {
    client_name: 'op',
    client_version: 'v1.0.0',
    client_kube_minor: 20,
    username: 'system:serviceaccount:shop:op',
    api_group: 'apps',
    api_version: 'v1',
    resource: 'deployments',
    subresource: '',
    verb: 'update',
    requests: 10,
    objects: 2,
    namespaces: ['shop'],
    user_agents: ['op/v1.0.0 (linux/amd64) kubernetes/abc'],
    sample_ids: ['s1'],
    first_at: '2026-03-08T00:00:00.000Z',
    last_at: '2026-03-09T00:00:00.000Z',
    ...over,
  };
}
const plan = (over: Partial<RankOptions> = {}) =>
  planRank(TEST_CATALOG, { current: '1.22', target: '1.25', since: '7d', now, ...over });

describe('rankRows', () => {
  it('orders by severity, then risky volume, objects and recency, and scores consistently', () => {
    const clients = rankRows(
      [
        row({ client_name: 'busy', requests: 5000 }),
        row({
          client_name: 'remover',
          api_group: 'batch',
          api_version: 'v1beta1',
          resource: 'cronjobs',
          verb: 'list',
          requests: 1,
        }),
        row({ client_name: 'unknown', client_kube_minor: 0, requests: 99999 }),
        row({ client_name: 'quiet', requests: 5000, objects: 1 }),
        row({ client_name: 'stale', requests: 5000, objects: 1, last_at: '2026-03-01T00:00:00.000Z' }),
      ],
      plan(),
    );
    expect(clients.map((c) => [c.rank, c.client, c.severity])).toEqual([
      [1, 'remover', 'critical'],
      [2, 'busy', 'high'],
      [3, 'quiet', 'high'],
      [4, 'stale', 'high'],
      [5, 'unknown', 'needs-verification'],
    ]);
    const scores = clients.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('adds up requests once per row, counts updates, and keeps evidence per finding', () => {
    const [c] = rankRows(
      [
        row({ sample_ids: ['a', 'b'] }),
        row({ username: 'u2', namespaces: ['other'], sample_ids: ['c'], requests: 5 }),
      ],
      plan(),
    );
    expect(c).toMatchObject({
      client: 'op',
      clientVersion: 'v1.0.0',
      kubeVersion: '1.20',
      requests: 15,
      updates: 15,
    });
    expect(c?.users).toEqual(['system:serviceaccount:shop:op', 'u2']);
    expect(c?.namespaces).toEqual(['other', 'shop']);
    expect(c?.findings.map((f) => [f.change, f.path, f.count, f.sampleAuditIds])).toEqual([
      ['field-added', 'spec.template.spec.os', 15, ['a', 'b', 'c']],
      ['default-changed', 'spec.template.spec.x', 15, ['a', 'b', 'c']],
    ]);
  });

  it('lists none of the safe clients', () => {
    const clients = rankRows(
      [
        row({ client_name: 'patcher', verb: 'patch' }),
        row({ client_name: 'creator', verb: 'create' }),
        row({ client_name: 'deleter', verb: 'delete' }),
        row({ client_name: 'status', subresource: 'status' }),
        row({ client_name: 'current', client_kube_minor: 25 }),
      ],
      plan(),
    );
    expect(clients).toEqual([]);
  });

  it('applies the allowlist, version overrides and owners', () => {
    const policy = {
      allow: [{ userAgent: 'kube-controller-manager/*' }],
      overrides: [
        { client: 'op', kubeVersion: 'v0.28.1' },
        { client: 'blind', kubeVersion: '1.21' },
      ],
      owners: [{ team: 'shop-team', namespaces: ['shop'] }],
    };
    const clients = rankRows(
      [
        row({
          client_name: 'kube-controller-manager',
          user_agents: ['kube-controller-manager/v1.22.0 (linux/amd64)'],
        }),
        row({ client_name: 'op' }),
        row({ client_name: 'blind', client_kube_minor: 0 }),
        row({ client_name: 'newer', client_kube_minor: 0 }),
      ],
      plan({ policy }),
    );
    expect(clients.map((c) => [c.client, c.severity, c.kubeVersion, c.kubeVersionOverridden])).toEqual([
      ['blind', 'high', '1.21', true],
      ['newer', 'needs-verification', null, false],
    ]);
    for (const c of clients) {
      expect(c.owners).toEqual(['shop-team']);
      for (const f of c.findings) expect(f.owners).toEqual(['shop-team']);
    }
  });
});

describe('planRank', () => {
  it('refuses bad versions and a target not newer than current', () => {
    expect(() => plan({ target: '1.22' })).toThrow(
      'target version 1.22 must be newer than current version 1.22',
    );
    expect(() => plan({ target: '1.21' })).toThrow(RankInputError);
    expect(() => plan({ current: 'banana' })).toThrow('current version "banana"');
    expect(() => plan({ since: '0h' })).toThrow('empty');
  });
});
