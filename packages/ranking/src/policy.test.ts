import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from './errors.js';
import { compilePolicy, loadPolicy, parsePolicy } from './policy.js';

const dir = mkdtempSync(join(tmpdir(), 'policy-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('loadPolicy', () => {
  it('reads YAML and JSON', () => {
    const y = loadPolicy(
      file(
        'p.yaml',
        `allow:\n  - userAgent: "kube-controller-manager/*"\n    reason: lockstep\noverrides:\n  - client: my-operator\n    kubeVersion: v0.28.3\nowners:\n  - team: payments\n    namespaces: ["pay-*"]\n`,
      ),
    );
    expect(y.allow).toEqual([{ userAgent: 'kube-controller-manager/*', reason: 'lockstep' }]);
    expect(y.overrides[0]?.kubeVersion).toBe('v0.28.3');
    const j = loadPolicy(file('p.json', JSON.stringify({ owners: [{ team: 't', users: ['alice'] }] })));
    expect(j).toEqual({ allow: [], overrides: [], owners: [{ team: 't', users: ['alice'] }] });
    expect(loadPolicy(file('empty.yaml', ''))).toEqual({ allow: [], overrides: [], owners: [] });
  });

  it('names the file and the field of a malformed policy', () => {
    const bad = file('bad.yaml', 'overrides:\n  - client: op\n    kubeVersion: latest\n');
    expect(() => loadPolicy(bad)).toThrow(PolicyError);
    expect(() => loadPolicy(bad)).toThrow(`policy ${bad}: overrides[0].kubeVersion:`);
    expect(() => parsePolicy({ owners: [{ team: 'x' }] }, 'f')).toThrow('policy f: owners[0]:');
    expect(() => parsePolicy({ allow: [{ userAgent: 'a', colour: 'x' }] }, 'f')).toThrow('allow[0]');
    expect(() => parsePolicy({ alow: [] }, 'f')).toThrow('policy f:');
    expect(() => loadPolicy(file('syntax.yaml', 'allow: [\n'))).toThrow('not valid YAML or JSON');
    expect(() => loadPolicy(join(dir, 'missing.yaml'))).toThrow('cannot read it (ENOENT)');
  });
});

describe('compilePolicy', () => {
  const p = compilePolicy(
    parsePolicy(
      {
        allow: [{ userAgent: 'kube-scheduler/*' }, { user: 'system:node:*', reason: 'kubelets' }],
        overrides: [
          { client: 'op', kubeVersion: '1.28' },
          { client: 'op', user: 'system:serviceaccount:legacy:*', kubeVersion: 'v0.19.2' },
        ],
        owners: [
          { team: 'payments', namespaces: ['pay-*'] },
          { team: 'platform', serviceAccounts: ['kube-system/*'] },
          { team: 'sre', users: ['alice@example.com'] },
        ],
      },
      'inline',
    ),
  );

  it('allowlists only when every sampled user agent matches', () => {
    expect(p.allowed(['kube-scheduler/v1.30.1 (linux/amd64) kubernetes/abc'], 'x')).toBe('allowlisted');
    expect(p.allowed(['kube-scheduler/v1.30.1', 'curl/8'], 'x')).toBeUndefined();
    expect(p.allowed([], 'system:node:n1')).toBe('kubelets');
    expect(p.allowed(['kubectl/v1.30'], 'alice')).toBeUndefined();
  });

  it('prefers the override with a user, and maps client-go v0.X to 1.X', () => {
    expect(p.kubeMinor('op', 'v2', 'system:serviceaccount:legacy:op')).toBe(19);
    expect(p.kubeMinor('op', 'v2', 'system:serviceaccount:prod:op')).toBe(28);
    expect(p.kubeMinor('other', 'v2', 'x')).toBeUndefined();
  });

  it('finds owners by touched namespace, service account and user', () => {
    expect(p.owners(['pay-eu'], 'bob')).toEqual(['payments']);
    expect(p.owners([], 'system:serviceaccount:kube-system:ctrl')).toEqual(['platform']);
    expect(p.owners(['pay-us'], 'alice@example.com')).toEqual(['payments', 'sre']);
    expect(p.owners(['default'], 'bob')).toEqual([]);
  });
});
