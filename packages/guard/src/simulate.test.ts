import { builtinChanges } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { compileGuardPolicy, parseGuardPolicy } from './policy.js';
import { buildRules } from './rules.js';
import { type StoredUpdates, simulate } from './simulate.js';
import { buildUserTable } from './users.js';

const rules = buildRules(builtinChanges(), '1.17', '1.18');
const PATH = 'spec.rules[].http.paths[].pathType';
const stored = (username: string, minor: number, namespace: string): StoredUpdates => ({
  username,
  user_groups: [],
  namespace,
  api_group: 'networking.k8s.io',
  api_version: 'v1beta1',
  resource: 'ingresses',
  client_name: 'bot',
  client_version: `v1.${minor}.0`,
  client_kube_minor: minor,
  updates: 3,
  with_body: 2,
  without_path: rules.paths.map((p) => (p === PATH ? 2 : 0)),
});
const learned = (username: string, minor: number) => ({
  username,
  api_group: 'networking.k8s.io',
  resource: 'ingresses',
  client_name: 'bot',
  client_version: `v1.${minor}.0`,
  client_kube_minor: minor,
  updates: 3,
  paths: [],
});

describe('simulate', () => {
  it('lists suspect users per client with the mode that would apply, and the bodies lacking the field', () => {
    const table = buildUserTable([learned('old', 16), learned('new', 18)]);
    const policy = compileGuardPolicy(
      parseGuardPolicy(
        { mode: 'warn', namespaces: [{ namespace: 'prod', mode: 'deny' }], allow: [{ user: 'legacy' }] },
        't',
      ),
    );
    const res = simulate(
      [
        stored('old', 16, 'prod'),
        stored('old', 16, 'prod'),
        stored('old', 16, 'dev'),
        stored('new', 18, 'prod'),
        stored('legacy', 16, 'x'),
      ],
      rules,
      table,
      policy,
    );
    expect(res.map((r) => [r.username, r.verdict, r.updates])).toEqual([
      ['old', 'deny', 6],
      ['legacy', 'allow-listed', 3],
      ['old', 'warn', 3],
    ]);
    expect(res[0]!.fields.find((f) => f.path === PATH)).toEqual({
      path: PATH,
      since: '1.18',
      bodiesWithoutField: 4,
    });
  });
});
