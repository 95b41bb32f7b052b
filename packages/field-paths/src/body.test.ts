import { describe, expect, it } from 'vitest';
import { reduceDeniedBody, takeRequestPaths } from './body.js';
import { createBodyConfig } from './config.js';
import { DenyListError, parseDenyList } from './deny.js';
import { CARRIED_PATHS } from './extract.js';

const cfg = createBodyConfig({ deny: ['sealedsecrets.bitnami.com', '*.vault.example.com'] });

const secretEvent = () => ({
  verb: 'update',
  objectRef: { resource: 'secrets', namespace: 'ns', name: 'db', apiVersion: 'v1' },
  requestObject: { apiVersion: 'v1', kind: 'Secret', data: { password: 'aHVudGVyMg==' }, type: 'Opaque' },
  responseObject: { data: { password: 'aHVudGVyMg==' } },
});

describe('parseDenyList', () => {
  it('always denies Secrets and matches kubectl-style entries', () => {
    const d = parseDenyList(['SealedSecrets.bitnami.com', '*.vault.example.com', 'tokens']);
    expect(d.matches('', 'secrets')).toBe(true);
    expect(d.matches('bitnami.com', 'sealedsecrets')).toBe(true);
    expect(d.matches('other.com', 'sealedsecrets')).toBe(false);
    expect(d.matches('vault.example.com', 'anything')).toBe(true);
    expect(d.matches('x.io', 'tokens')).toBe(true);
    expect(d.matches('', 'configmaps')).toBe(false);
  });

  it('names a malformed entry', () => {
    expect(() => parseDenyList(['secrets/v1'])).toThrow(DenyListError);
    expect(() => parseDenyList(['*'])).toThrow(/name a resource or a group/);
  });
});

describe('takeRequestPaths', () => {
  it('removes both bodies and returns the paths of a write', () => {
    const ev = secretEvent();
    const set = takeRequestPaths(ev, cfg);
    expect(set).toEqual({ paths: ['apiVersion', 'data', 'kind', 'type'], status: 'complete' });
    expect(ev).not.toHaveProperty('requestObject');
    expect(ev).not.toHaveProperty('responseObject');
  });

  it('drops bodies of reads and subresource writes without recording paths', () => {
    const get = { ...secretEvent(), verb: 'get' };
    expect(takeRequestPaths(get, cfg)).toBeUndefined();
    expect(get).not.toHaveProperty('requestObject');
    const scale = {
      verb: 'update',
      objectRef: { resource: 'deployments', apiGroup: 'apps', subresource: 'scale' },
      requestObject: { spec: { replicas: 2 } },
    };
    expect(takeRequestPaths(scale, cfg)).toBeUndefined();
    expect(takeRequestPaths({ verb: 'update', objectRef: { resource: 'pods' } }, cfg)).toBeUndefined();
  });

  it('drops the body unread when extraction is off', () => {
    const ev = secretEvent();
    expect(takeRequestPaths(ev, { ...cfg, extract: false })).toEqual({ paths: [], status: 'not-extracted' });
    expect(ev).not.toHaveProperty('requestObject');
  });
});

describe('reduceDeniedBody', () => {
  it('replaces a denied body by its paths and leaves other events alone', () => {
    const secret = secretEvent();
    expect(reduceDeniedBody(secret, cfg)).toBe(true);
    expect(JSON.stringify(secret)).not.toContain('aHVudGVyMg');
    expect(secret.requestObject).toEqual({
      [CARRIED_PATHS]: ['apiVersion', 'data', 'kind', 'type'],
      $radarStatus: 'complete',
    });

    const sealed = {
      verb: 'create',
      objectRef: { resource: 'sealedsecrets', apiGroup: 'bitnami.com' },
      requestObject: { spec: { encryptedData: { password: 'AgBy3i4OJSWK' } } },
    };
    expect(reduceDeniedBody(sealed, cfg)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('AgBy3i4OJSWK');

    const cm = { verb: 'update', objectRef: { resource: 'configmaps' }, requestObject: { data: { k: 'v' } } };
    expect(reduceDeniedBody(cm, cfg)).toBe(false);
    expect(cm.requestObject).toEqual({ data: { k: 'v' } });
    expect(reduceDeniedBody('not an event', cfg)).toBe(false);
  });
});
