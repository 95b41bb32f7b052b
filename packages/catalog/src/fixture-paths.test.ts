import { describe, expect, it } from 'vitest';
import { fixturePaths } from './fixture-paths.js';

const none = { maps: new Set<string>(), leaves: new Set<string>() };

describe('fixturePaths', () => {
  it('writes lists as [] and leaves out a stored object status and the insides of metadata', () => {
    const paths = fixturePaths(
      {
        apiVersion: 'apps/v1',
        metadata: { name: 'nameValue', labels: { labelsKey: 'labelsValue' } },
        spec: {
          template: {
            metadata: { name: 'n' },
            spec: { containers: [{ name: 'c', ports: [{ containerPort: 1 }] }] },
          },
          volumeClaimTemplates: [
            { metadata: { name: 'v' }, spec: { volumeName: 'x' }, status: { phase: 'p' } },
          ],
        },
        status: { replicas: 1 },
      },
      none,
    );
    expect([...paths].sort()).toEqual([
      'apiVersion',
      'metadata',
      'spec',
      'spec.template',
      'spec.template.metadata',
      'spec.template.spec',
      'spec.template.spec.containers',
      'spec.template.spec.containers[].name',
      'spec.template.spec.containers[].ports',
      'spec.template.spec.containers[].ports[].containerPort',
      'spec.volumeClaimTemplates',
      'spec.volumeClaimTemplates[].metadata',
      'spec.volumeClaimTemplates[].spec',
      'spec.volumeClaimTemplates[].spec.volumeName',
    ]);
  });

  it('reads placeholder map keys of any release as * (named keys, fuzzed keys, documents)', () => {
    const newer = fixturePaths(
      { spec: { nodeSelector: { nodeSelectorKey: 'v' }, overhead: { overheadKey: '1' } } },
      none,
    );
    const older = fixturePaths({ spec: { nodeSelector: { '20': 'v' }, overhead: { ȩ纾S: '1' } } }, none);
    expect([...newer].sort()).toEqual(['spec', 'spec.nodeSelector', 'spec.overhead']);
    expect([...older].sort()).toEqual([...newer].sort());
    // A map of objects gets `*`; 'G' looks like a field name, so only the documents can tell.
    const known = { maps: new Set(['spec.limits']), leaves: new Set<string>() };
    expect([...fixturePaths({ spec: { limits: { G: { max: 1 } } } }, known)].sort()).toEqual([
      'spec',
      'spec.limits',
      'spec.limits.*.max',
    ]);
    expect([...fixturePaths({ spec: { limits: { G: { max: 1 } } } }, none)]).toContain('spec.limits.G');
  });

  it('does not enter leaves the documents name (RawExtension, JSONSchemaProps cycles)', () => {
    const hints = { maps: new Set<string>(), leaves: new Set(['data']) };
    expect(
      [...fixturePaths({ data: { apiVersion: 'v1', kind: 'X', spec: { a: 1 } }, revision: 1 }, hints)].sort(),
    ).toEqual(['data', 'revision']);
  });
});
