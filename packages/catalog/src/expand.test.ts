import { describe, expect, it } from 'vitest';
import { cyclicDefinitions, Expander, joinPath, parentPath } from './expand.js';
import type { Schema } from './spec.js';

describe('paths', () => {
  it.each([
    ['spec.rules[].http.paths[].pathType', 'spec.rules[].http.paths'],
    ['spec.containers[].name', 'spec.containers'],
    ['spec.x.*.y', 'spec.x'],
    ['spec.m[][].z', 'spec.m'],
    ['spec', ''],
    ['*.a', ''],
  ])('parent of %s is %s', (path, parent) => {
    expect(parentPath(path)).toBe(parent);
  });

  it('joins prefixes, list items and map values', () => {
    expect(joinPath('', 'spec')).toBe('spec');
    expect(joinPath('spec', 'containers[].name')).toBe('spec.containers[].name');
    expect(joinPath('spec.volumes', '[].name')).toBe('spec.volumes[].name');
    expect(joinPath('spec.template.spec', '')).toBe('spec.template.spec');
  });
});

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

describe('Expander', () => {
  const defs: Record<string, Schema> = {
    Props: {
      properties: {
        properties: { additionalProperties: ref('Props') },
        items: ref('Props'),
        type: { type: 'string' },
      },
    },
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { properties: { name: {}, labels: {} } },
    Claim: {
      properties: {
        metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
        spec: ref('ClaimSpec'),
        status: {},
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Claim' }],
    },
    ClaimSpec: { properties: { size: { type: 'string', default: '1Gi' } } },
    Set: {
      properties: {
        metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
        spec: {
          properties: {
            templates: { type: 'array', items: ref('Claim') },
            byName: { type: 'object', additionalProperties: ref('ClaimSpec') },
            schema: ref('Props'),
          },
        },
        status: { properties: { ready: {} } },
      },
      'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Set' }],
    },
  };

  it('finds self-referencing definitions', () => {
    expect([...cyclicDefinitions(defs)]).toEqual(['Props']);
    expect(
      [...cyclicDefinitions({ A: { properties: { b: ref('B') } }, B: { items: ref('A') }, C: {} })].sort(),
    ).toEqual(['A', 'B']);
  });

  it('expands lists, maps and refs; stops at cycles and metadata; leaves out status of kinds', () => {
    const paths = new Expander(defs).expand('Set').fields.map((f) => f.path);
    expect(paths).toEqual([
      'metadata',
      'spec',
      'spec.templates',
      'spec.templates[].metadata',
      'spec.templates[].spec',
      'spec.templates[].spec.size',
      'spec.byName',
      'spec.byName.*.size',
      'spec.schema',
    ]);
  });

  it('keeps status when asked, and carries defaults', () => {
    const fields = new Expander(defs, { includeStatus: true }).expand('Set').fields;
    expect(fields.map((f) => f.path)).toContain('status.ready');
    expect(fields.map((f) => f.path)).toContain('spec.templates[].status');
    expect(fields.find((f) => f.path === 'spec.byName.*.size')?.defaultJson).toBe('"1Gi"');
  });

  it('records where each type sits', () => {
    const anchors = new Expander(defs).expand('Set').anchors;
    expect(anchors.filter((a) => a.type === 'ClaimSpec').map((a) => a.prefix)).toEqual([
      'spec.templates[].spec',
      'spec.byName.*',
    ]);
  });
});
