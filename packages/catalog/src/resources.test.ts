import { describe, expect, it } from 'vitest';
import { resourcePlurals, topLevelResource } from './resources.js';
import { readSpecFile } from './spec.js';
import { specPath } from './testing.js';

describe('topLevelResource', () => {
  it.each([
    ['/api/v1/pods', 'pods'],
    ['/api/v1/namespaces/{namespace}/pods', 'pods'],
    ['/api/v1/namespaces/{namespace}/pods/{name}', 'pods'],
    ['/api/v1/watch/namespaces/{namespace}/pods/{name}', 'pods'],
    ['/api/v1/namespaces', 'namespaces'],
    ['/api/v1/namespaces/{name}', 'namespaces'],
    ['/apis/apps/v1/namespaces/{namespace}/deployments', 'deployments'],
    ['/apis/storage.k8s.io/v1/csinodes/{name}', 'csinodes'],
  ])('%s -> %s', (path, plural) => {
    expect(topLevelResource(path)).toBe(plural);
  });

  it.each([
    '/api/v1/namespaces/{name}/finalize',
    '/api/v1/namespaces/{namespace}/pods/{name}/eviction',
    '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale',
    '/apis/apps/v1/',
    '/apis/',
    '/version/',
    '/logs/{logpath}',
  ])('%s is not a top-level resource', (path) => {
    expect(topLevelResource(path)).toBeUndefined();
  });
});

describe('resourcePlurals on a real spec', () => {
  it('maps kinds to plurals and leaves subresource kinds out', async () => {
    const m = resourcePlurals(await readSpecFile(specPath('1.18')));
    expect(m.get('/v1/Pod')).toBe('pods');
    expect(m.get('/v1/Endpoints')).toBe('endpoints');
    expect(m.get('networking.k8s.io/v1beta1/Ingress')).toBe('ingresses');
    expect(m.get('extensions/v1beta1/Ingress')).toBe('ingresses');
    expect(m.get('policy/v1beta1/PodSecurityPolicy')).toBe('podsecuritypolicies');
    expect(m.get('autoscaling/v1/Scale')).toBeUndefined();
    expect(m.get('policy/v1beta1/Eviction')).toBeUndefined();
  });
});
