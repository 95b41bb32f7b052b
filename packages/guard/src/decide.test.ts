import { builtinChanges } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { compileGuardPolicy, EMPTY_GUARD_POLICY, type Mode } from './policy.js';
import { respondable } from './respond.test-support.js';
import { buildRules } from './rules.js';
import { admissionReview, DEPLOYMENT, deployment, INGRESS, ingress } from './testing.js';
import { buildUserTable, type LearnedRow } from './users.js';

const rules = buildRules(builtinChanges(), '1.17', '1.18');
const row = (username: string, minor: number, extra: Partial<LearnedRow> = {}): LearnedRow => ({
  username,
  api_group: 'networking.k8s.io',
  resource: 'ingresses',
  client_name: 'deploy-bot',
  client_version: minor ? `v1.${minor}.0` : 'v0.0.0',
  client_kube_minor: minor,
  updates: 5,
  paths: [],
  ...extra,
});
const table = buildUserTable([
  row('old', 16),
  row('new', 18),
  row('mixed', 18),
  row('mixed', 16, { client_name: 'kubectl' }),
  row('proven', 0, { paths: ['spec.rules[].http.paths[].pathType'] }),
  row('old', 16, { api_group: 'apps', resource: 'deployments' }),
]);
const drop = (username: string, extra = {}) =>
  respondable(
    admissionReview({
      ...INGRESS,
      username,
      object: ingress(undefined),
      oldObject: ingress('Prefix'),
      ...extra,
    }),
  );
const run = (req: ReturnType<typeof drop>, mode: Mode = 'deny', t: typeof table | null = table) =>
  decide(req, { rules, table: t ?? undefined, policy: compileGuardPolicy(EMPTY_GUARD_POLICY, mode) });

describe('decide', () => {
  it('denies, warns or annotates a 1.16 client dropping Ingress pathType, per mode', () => {
    const denied = run(drop('old'), 'deny');
    expect(denied).toMatchObject({ outcome: 'suspect', allowed: false, mode: 'deny' });
    expect(denied.message).toContain('spec.rules[0].http.paths[0].pathType');
    expect(denied.message).toContain('deploy-bot v1.16.0 (Kubernetes 1.16)');
    expect(denied.message).toMatch(/patch or server-side apply.*upgrade the client.*allow-list/);
    const warned = run(drop('old'), 'warn');
    expect(warned.allowed).toBe(true);
    expect(warned.warnings).toHaveLength(2);
    expect(warned.warnings[0]).toMatch(/drops .*pathType.*Kubernetes 1\.18.*deploy-bot v1\.16\.0/);
    const audited = run(drop('old'), 'audit');
    expect(audited).toMatchObject({ allowed: true, warnings: [] });
    expect(audited.auditAnnotations).toEqual({
      verdict: 'would-deny',
      fields: 'dropped:spec.rules[].http.paths[].pathType',
      clients: 'deploy-bot v1.16.0 (1.16)',
    });
  });

  it('passes a user whose clients all know the field, or are proven to send it', () => {
    expect(run(drop('new'))).toMatchObject({ outcome: 'known-clients', allowed: true });
    expect(run(drop('proven'))).toMatchObject({ outcome: 'known-clients', allowed: true });
  });

  it('suspects a user also seen with an old client, and a user never seen', () => {
    const mixed = run(drop('mixed'));
    expect(mixed.allowed).toBe(false);
    expect(mixed.suspects[0]!.suspicion.clients.map((c) => c.name)).toEqual(['kubectl']);
    expect(run(drop('stranger'))).toMatchObject({
      allowed: false,
      auditAnnotations: { clients: 'never-seen' },
    });
  });

  it('leaves patches, applies, status updates and other operations alone', () => {
    expect(run(drop('old', { options: 'PatchOptions' })).outcome).toBe('not-a-full-update');
    expect(run(drop('old', { operation: 'CREATE' })).outcome).toBe('not-a-full-update');
    expect(run(drop('old', { subResource: 'status' })).outcome).toBe('subresource');
    expect(run(drop('old', { version: 'v1' })).outcome).toBe('no-watched-fields');
  });

  it('allows when it cannot decide, saying so in the annotations', () => {
    expect(run(drop('old'), 'deny', null)).toMatchObject({
      outcome: 'undecided',
      allowed: true,
      auditAnnotations: { verdict: 'undecided' },
    });
  });

  it('honours the allow-list', () => {
    const policy = compileGuardPolicy({ ...EMPTY_GUARD_POLICY, mode: 'deny', allow: [{ user: 'old' }] });
    expect(decide(drop('old'), { rules, table, policy }).outcome).toBe('allow-listed');
  });

  it('flags a reset to the default (Deployment fsGroupChangePolicy to Always)', () => {
    const req = respondable(
      admissionReview({
        ...DEPLOYMENT,
        username: 'old',
        object: deployment('Always'),
        oldObject: deployment('OnRootMismatch'),
      }),
    );
    const v = run(req, 'deny');
    expect(v.allowed).toBe(false);
    expect(v.message).toContain(
      'resets spec.template.spec.securityContext.fsGroupChangePolicy from "OnRootMismatch" to the default "Always"',
    );
  });

  it('flags a revisionHistoryLimit reset from a default-changed record', () => {
    const r = buildRules(
      [
        {
          change: 'default-changed',
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          resource: 'deployments',
          path: 'spec.revisionHistoryLimit',
          since: '1.18',
          details: { oldDefault: 2147483647, newDefault: 10 },
          source: 'test',
        },
      ],
      '1.17',
      '1.18',
    );
    const before = deployment(undefined);
    (before.spec as Record<string, unknown>).revisionHistoryLimit = 3;
    const req = respondable(
      admissionReview({ ...DEPLOYMENT, username: 'old', object: deployment(undefined), oldObject: before }),
    );
    const v = decide(req, { rules: r, table, policy: compileGuardPolicy(EMPTY_GUARD_POLICY, 'warn') });
    expect(v.warnings[0]).toContain(
      'resets spec.revisionHistoryLimit to its default 10 (a Kubernetes 1.18 field)',
    );
    expect(v.warnings[0]!.length).toBeLessThanOrEqual(256);
  });
});
