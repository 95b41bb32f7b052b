import { beforeAll, describe, expect, it } from 'vitest';
import { diffSpecs } from './diff.js';
import { CatalogInputError } from './errors.js';
import type { Change } from './model.js';
import { readSpecFile, type SwaggerDoc } from './spec.js';
import { crdSpec, type FixtureKind, specPath } from './testing.js';

const cert = (version: string, spec: FixtureKind['spec']): FixtureKind => ({
  group: 'cert-manager.io',
  version,
  kind: 'Certificate',
  plural: 'certificates',
  spec,
});

const find = (changes: Change[], change: Change['change'], version: string, path?: string) =>
  changes.filter((c) => c.change === change && c.version === version && c.path === path);

describe('diffSpecs on small documents', () => {
  const before = crdSpec([
    cert('v1alpha2', {
      properties: {
        keyAlgorithm: { type: 'string' },
        dnsNames: { type: 'array', items: { type: 'string' } },
      },
    }),
    cert('v1', {
      properties: {
        dnsNames: { type: 'array', items: { type: 'string' } },
        privateKey: { properties: { algorithm: { type: 'string', default: 'RSA' } } },
        renewBefore: { type: 'string' },
      },
    }),
  ]);
  const after = crdSpec(
    [
      cert('v1', {
        properties: {
          dnsNames: { type: 'array', items: { type: 'string' } },
          privateKey: {
            properties: {
              algorithm: { type: 'string', default: 'ECDSA' },
              rotationPolicy: { type: 'string' },
            },
          },
          secretTemplate: { properties: { labels: { type: 'object' }, annotations: { type: 'object' } } },
        },
      }),
    ],
    'v1.28.0',
  );
  let changes: Change[];
  beforeAll(() => {
    changes = diffSpecs(before, after);
  });

  it('takes since from the second document and names both in the source', () => {
    expect(new Set(changes.map((c) => c.since))).toEqual(new Set(['1.28']));
    expect(changes[0]?.source).toBe('openapi diff v1.27->v1.28');
  });

  it('reports removed kinds with their resource', () => {
    expect(find(changes, 'gvk-removed', 'v1alpha2')).toEqual([
      {
        change: 'gvk-removed',
        group: 'cert-manager.io',
        version: 'v1alpha2',
        kind: 'Certificate',
        resource: 'certificates',
        since: '1.28',
        source: 'openapi diff v1.27->v1.28',
      },
    ]);
  });

  it('reports only the topmost field of a new subtree, and removed fields', () => {
    const added = changes.filter((c) => c.change === 'field-added').map((c) => c.path);
    expect(added).toEqual(['spec.privateKey.rotationPolicy', 'spec.secretTemplate']);
    expect(find(changes, 'field-removed', 'v1', 'spec.renewBefore')).toHaveLength(1);
  });

  it('reports changed defaults', () => {
    expect(find(changes, 'default-changed', 'v1', 'spec.privateKey.algorithm')[0]?.details).toEqual({
      oldDefault: 'RSA',
      newDefault: 'ECDSA',
    });
  });

  it('does not report status or metadata fields', () => {
    expect(changes.some((c) => c.path?.startsWith('status') || c.path?.startsWith('metadata.'))).toBe(false);
  });

  it('treats a partial target as no evidence of removal', () => {
    expect(diffSpecs(before, after, { partialTarget: true }).some((c) => c.change === 'gvk-removed')).toBe(
      false,
    );
  });

  it('needs a since when the second document does not say its version', () => {
    const unversioned = { ...after, info: { version: 'unversioned' } };
    expect(() => diffSpecs(before, unversioned)).toThrow(CatalogInputError);
    expect(diffSpecs(before, unversioned, { since: '1.29.1' })[0]?.since).toBe('1.29');
    expect(() => diffSpecs(before, unversioned, { since: '1.99' })).toThrow(/covers 1\.16 to 1\.36/);
  });

  it('refuses what is not a Swagger document', () => {
    expect(() => diffSpecs({ hello: 1 }, after)).toThrow(/first spec: not a Swagger/);
  });
});

describe('diffSpecs on the real 1.16 and 1.18 specs', () => {
  let changes: Change[];
  let s16: SwaggerDoc;
  let s18: SwaggerDoc;
  beforeAll(async () => {
    s16 = await readSpecFile(specPath('1.16'));
    s18 = await readSpecFile(specPath('1.18'));
    changes = diffSpecs(s16, s18, { since: '1.18' });
  });

  const has = (
    group: string,
    version: string,
    kind: string,
    path: string,
    change: Change['change'] = 'field-added',
  ) =>
    changes.some(
      (c) =>
        c.change === change &&
        c.group === group &&
        c.version === version &&
        c.kind === kind &&
        c.path === path,
    );

  it.each([
    ['extensions', 'v1beta1'],
    ['networking.k8s.io', 'v1beta1'],
  ])('reports Ingress %s/%s pathType and ingressClassName', (group, version) => {
    expect(has(group, version, 'Ingress', 'spec.rules[].http.paths[].pathType')).toBe(true);
    expect(has(group, version, 'Ingress', 'spec.ingressClassName')).toBe(true);
    const rec = changes.find((c) => c.group === group && c.path === 'spec.ingressClassName');
    expect(rec).toMatchObject({ resource: 'ingresses', since: '1.18', source: 'openapi diff v1.16->v1.18' });
  });

  it('places a PodSpec field under every workload at its full path', () => {
    const p = 'securityContext.fsGroupChangePolicy';
    expect(has('', 'v1', 'Pod', `spec.${p}`)).toBe(true);
    expect(has('', 'v1', 'PodTemplate', `template.spec.${p}`)).toBe(true);
    expect(has('apps', 'v1', 'Deployment', `spec.template.spec.${p}`)).toBe(true);
    expect(has('batch', 'v1', 'Job', `spec.template.spec.${p}`)).toBe(true);
    expect(has('batch', 'v1beta1', 'CronJob', `spec.jobTemplate.spec.template.spec.${p}`)).toBe(true);
  });

  it('reports the 1.17 and 1.18 additions the fact sheet lists', () => {
    expect(has('', 'v1', 'ConfigMap', 'immutable')).toBe(true);
    expect(has('', 'v1', 'Secret', 'immutable')).toBe(true);
    expect(has('', 'v1', 'Service', 'spec.ports[].appProtocol')).toBe(true);
    expect(has('', 'v1', 'Service', 'spec.topologyKeys')).toBe(true);
  });

  it('reports kinds dropped from the document and new ones', () => {
    const removed = changes
      .filter((c) => c.change === 'gvk-removed')
      .map((c) => `${c.group}/${c.version}/${c.kind}`);
    expect(removed).toContain('extensions/v1beta1/Deployment');
    expect(removed).toContain('apps/v1beta2/StatefulSet');
    const added = changes
      .filter((c) => c.change === 'gvk-added')
      .map((c) => `${c.group}/${c.version}/${c.kind}`);
    expect(added).toEqual(
      expect.arrayContaining(['networking.k8s.io/v1beta1/IngressClass', 'storage.k8s.io/v1/CSINode']),
    );
  });

  it('reports nothing between a document and itself, and nothing for metadata or status', () => {
    expect(diffSpecs(s18, s18, { since: '1.18' })).toEqual([]);
    expect(changes.some((c) => c.path?.startsWith('status') || c.path?.includes('metadata.'))).toBe(false);
  });

  it('gives every record a resource and a source', () => {
    for (const c of changes) {
      expect(c.resource).toMatch(/^[a-z0-9]+$/);
      expect(c.source).toBeTruthy();
    }
  });
});
