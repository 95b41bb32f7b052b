import { readFileSync } from 'node:fs';
import { builtinChanges } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// infra/k8s/audit-policy.yaml decides which bodies upgrade-radar ever sees: check it against the
// apiserver's first-match rule semantics and the catalog it is meant to cover.
interface Rule {
  level: string;
  verbs?: string[];
  resources?: { group: string; resources?: string[] }[];
}
const policy = parse(
  readFileSync(new URL('../../../infra/k8s/audit-policy.yaml', import.meta.url), 'utf8'),
) as {
  apiVersion: string;
  kind: string;
  omitStages: string[];
  rules: Rule[];
};

/** The level the apiserver would log a request at: the first matching rule's. */
function levelOf(verb: string, group: string, resource: string): string {
  for (const r of policy.rules) {
    if (r.verbs && !r.verbs.includes(verb)) continue;
    if (
      r.resources &&
      !r.resources.some((g) => g.group === group && (g.resources ?? [resource]).includes(resource))
    )
      continue;
    return r.level;
  }
  return 'None';
}

/** Kinds left at Metadata on purpose (docs/field-evidence.md): volume or values. */
const EXCLUDED = new Set([
  '/secrets',
  '/configmaps',
  '/endpoints',
  'coordination.k8s.io/leases',
  'discovery.k8s.io/endpointslices',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'certificates.k8s.io/podcertificaterequests',
]);

describe('infra/k8s/audit-policy.yaml', () => {
  it('is an audit.k8s.io/v1 Policy without the RequestReceived stage', () => {
    expect(policy).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy' });
    expect(policy.omitStages).toContain('RequestReceived');
  });

  it('never logs bodies of Secrets, ConfigMaps or tokens', () => {
    for (const verb of ['create', 'update', 'patch', 'get', 'list', 'delete']) {
      expect(levelOf(verb, '', 'secrets')).toBe('Metadata');
      expect(levelOf(verb, '', 'configmaps')).toBe('Metadata');
      expect(levelOf(verb, '', 'serviceaccounts/token')).toBe('Metadata');
    }
  });

  it('logs updates and patches at Request level for every kind with catalog field changes', () => {
    const kinds = new Set(
      builtinChanges()
        .filter((c) => (c.change === 'field-added' || c.change === 'default-changed') && c.path)
        .map((c) => `${c.group}/${c.resource}`),
    );
    const missing = [...kinds].filter((k) => {
      const [group, resource] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
      return (
        !EXCLUDED.has(k) &&
        (levelOf('update', group, resource) !== 'Request' || levelOf('patch', group, resource) !== 'Request')
      );
    });
    expect(missing).toEqual([]);
  });

  it('keeps everything else at Metadata: reads, creates, subresources, unchanged kinds', () => {
    expect(levelOf('get', 'apps', 'deployments')).toBe('Metadata');
    expect(levelOf('create', 'apps', 'deployments')).toBe('Metadata');
    expect(levelOf('update', 'apps', 'deployments/status')).toBe('Metadata');
    expect(levelOf('update', 'rbac.authorization.k8s.io', 'roles')).toBe('Metadata');
    expect(levelOf('update', 'coordination.k8s.io', 'leases')).toBe('Metadata');
  });
});
