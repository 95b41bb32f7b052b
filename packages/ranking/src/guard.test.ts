import { describe, expect, it } from 'vitest';
import { type GuardRow, guardEntries, guardLabel, withGuard } from './guard.js';
import { guardSection } from './report/guard.js';
import { clientsMarkdown, evidenceMarkdown } from './report/markdown.js';
import type { Finding, RankedClient } from './types.js';

const PATH = 'spec.rules[].http.paths[].pathType';
const vrow = (over: Partial<GuardRow>): GuardRow => ({
  client_name: 'deploy-bot',
  client_version: '1.16.3',
  client_kube_minor: 16,
  username: 'ci',
  api_group: 'networking.k8s.io',
  api_version: 'v1beta1',
  resource: 'ingresses',
  verdict: 'denied',
  fields: `dropped:${PATH}`,
  requests: 1,
  objects: 1,
  sample_ids: ['a1'],
  first_at: '2026-03-02T08:00:00.000Z',
  last_at: '2026-03-02T08:00:00.000Z',
  ...over,
});

const finding = (over: Partial<Finding>): Finding => ({
  change: 'field-added',
  severity: 'high',
  group: 'networking.k8s.io',
  version: 'v1beta1',
  resource: 'ingresses',
  path: PATH,
  since: '1.18',
  verb: 'update',
  count: 9,
  sampleAuditIds: [],
  owners: [],
  ...over,
});

const client = (name: string, version: string | null, findings: Finding[]): RankedClient => ({
  rank: 1,
  client: name,
  clientVersion: version,
  kubeVersion: '1.16',
  kubeVersionOverridden: false,
  severity: 'high',
  score: 1,
  requests: 9,
  updates: 9,
  objects: 2,
  lastSeen: '2026-03-02T08:00:00.000Z',
  users: ['ci'],
  namespaces: ['shop'],
  owners: [],
  findings,
});

const ROWS = [
  vrow({ requests: 12, objects: 3, sample_ids: ['a1', 'a2'] }),
  vrow({ username: 'ops', requests: 2, objects: 2, sample_ids: ['a3'] }),
  vrow({ verdict: 'warned', requests: 3, fields: `dropped:${PATH},reset:spec.x` }),
  vrow({ verdict: 'would-deny', requests: 4, fields: 'dropped:spec.ingressClassName' }),
  vrow({ verdict: 'other', requests: 1 }),
  vrow({ client_name: 'old-cron', client_version: '', client_kube_minor: 0, verdict: 'warned', requests: 5 }),
];

describe('the guard verdicts in rank evidence', () => {
  it('counts each ranked client and the update findings whose field the guard named', () => {
    const [c] = withGuard(
      [
        client('deploy-bot', '1.16.3', [
          finding({}),
          finding({ path: 'spec.ingressClassName' }),
          finding({ verb: 'get', path: undefined }),
        ]),
      ],
      ROWS,
    );
    expect(c!.guard).toEqual({ denied: 14, warned: 3, wouldDeny: 4, undecided: 0, other: 1 });
    expect(c!.findings.map((f) => f.guard)).toEqual([
      { denied: 14, warned: 3, wouldDeny: 0, undecided: 0, other: 1 },
      { denied: 0, warned: 0, wouldDeny: 4, undecided: 0, other: 0 },
      undefined,
    ]);
    expect(guardLabel(c!.guard)).toBe('DENIED 14, warned 3, would-deny 4, other 1');
  });

  it('leaves clients the guard never judged as they are', () => {
    const [c] = withGuard([client('kubectl', '1.30.0', [finding({})])], ROWS);
    expect(c).not.toHaveProperty('guard');
    expect(c!.findings[0]).not.toHaveProperty('guard');
  });

  it('lists every judged client per resource, ranked or not, most denied first', () => {
    const entries = guardEntries(ROWS, [client('deploy-bot', '1.16.3', [])]);
    expect(
      entries.map((e) => [e.client, e.clientVersion, e.ranked, e.denied, e.warned, e.wouldDeny, e.other]),
    ).toEqual([
      ['deploy-bot', '1.16.3', true, 14, 3, 4, 1],
      ['old-cron', null, false, 0, 5, 0, 0],
    ]);
    expect(entries[0]).toMatchObject({
      objects: 3,
      users: ['ci', 'ops'],
      fields: [`dropped:${PATH}`, 'reset:spec.x', 'dropped:spec.ingressClassName'],
      sampleAuditIds: ['a1', 'a2', 'a3'],
    });
  });
});

describe('the guard verdicts in markdown', () => {
  it('marks a denied client in bold, and only adds the column where the guard judged someone', () => {
    const judged = withGuard([client('deploy-bot', '1.16.3', [finding({})])], ROWS);
    expect(clientsMarkdown(judged)).toContain('| Guard |');
    expect(clientsMarkdown(judged)).toContain('**DENIED 14, warned 3, would-deny 4, other 1**');
    expect(evidenceMarkdown(judged[0]!)).toContain('DENIED 14, warned 3, other 1 |');
    expect(clientsMarkdown([client('kubectl', '1.30.0', [])])).not.toContain('Guard');
  });

  it('builds the report section per client, version and resource, with the fields', () => {
    const s = guardSection(guardEntries(ROWS, [client('deploy-bot', '1.16.3', [])]));
    expect(s.title).toBe('Guard verdicts');
    expect(s.text).toContain('refused 14, warned on 8 and flagged 4');
    expect(s.rows[1]).toEqual([
      'old-cron (not ranked)',
      'unknown',
      'networking.k8s.io/v1beta1 ingresses',
      0,
      5,
      0,
      0,
      `dropped:${PATH}`,
      'ci',
      'a1',
    ]);
    expect(guardSection([]).rows).toEqual([]);
  });
});
