import { describe, expect, it } from 'vitest';
import { compileGuardPolicy, GuardPolicyError, parseGuardPolicy } from './policy.js';

const subject = {
  username: 'deploy-bot',
  groups: ['ci'],
  namespace: 'prod-eu',
  group: 'apps',
  resource: 'deployments',
};

describe('guard policy', () => {
  it('takes the most specific mode: namespace, then resource, then global', () => {
    const p = parseGuardPolicy(
      {
        mode: 'audit',
        resources: [{ resource: 'apps/deployments', mode: 'warn' }],
        namespaces: [{ namespace: 'prod-*', mode: 'deny' }],
      },
      'p.yaml',
    );
    const c = compileGuardPolicy(p);
    expect(c.modeFor(subject)).toBe('deny');
    expect(c.modeFor({ ...subject, namespace: 'dev' })).toBe('warn');
    expect(c.modeFor({ ...subject, namespace: 'dev', resource: 'statefulsets' })).toBe('audit');
    expect(compileGuardPolicy(parseGuardPolicy({}, 'p'), 'warn').modeFor(subject)).toBe('warn');
  });

  it('allow-lists when every field of an entry matches', () => {
    const c = compileGuardPolicy(
      parseGuardPolicy(
        { allow: [{ user: 'deploy-*', namespace: 'prod-*', reason: 'migrating' }, { group: 'admins' }] },
        'p',
      ),
    );
    expect(c.allowed(subject)).toBe('migrating');
    expect(c.allowed({ ...subject, namespace: 'dev' })).toBeUndefined();
    expect(c.allowed({ ...subject, username: 'x', groups: ['admins'] })).toBe('allow-listed');
  });

  it('refuses a bad policy naming the file and the field', () => {
    expect(() => parseGuardPolicy({ mode: 'block' }, 'p.yaml')).toThrow(GuardPolicyError);
    expect(() =>
      parseGuardPolicy({ resources: [{ resource: 'deployments', mode: 'deny' }] }, 'p.yaml'),
    ).toThrow(/p\.yaml: resources\.0\.resource/);
    expect(() => parseGuardPolicy({ allow: [{ reason: 'x' }] }, 'p.yaml')).toThrow(/needs user/);
  });
});
