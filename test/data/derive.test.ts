import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/repo.js';
import { fixtureShape, structureOnly } from './derive.js';

describe('structureOnly', () => {
  it('drops prose but keeps a property that is called description', () => {
    const schema = {
      description: 'PriorityClass defines ...',
      properties: {
        description: { description: 'an arbitrary string', type: 'string' },
        value: { type: 'integer', format: 'int32' },
      },
      'x-kubernetes-group-version-kind': [
        { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
      ],
    };
    expect(
      structureOnly({ definitions: { p: schema }, paths: { '/x': { get: { description: 'list' } } } }),
    ).toEqual({
      definitions: {
        p: {
          properties: { description: { type: 'string' }, value: { type: 'integer', format: 'int32' } },
          'x-kubernetes-group-version-kind': schema['x-kubernetes-group-version-kind'],
        },
      },
      paths: { '/x': { get: {} } },
    });
  });
});

describe('fixtureShape', () => {
  it('blanks placeholder values, keeping keys, list lengths, kind and apiVersion', () => {
    const fixture = {
      'apps.v1.Deployment': {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { name: 'nameValue', labels: { labelsKey: 'labelsValue' } },
        spec: { replicas: 1, paused: true, template: { spec: { containers: [{ name: 'nameValue' }] } } },
      },
    };
    expect(fixtureShape(fixture)).toEqual({
      'apps.v1.Deployment': {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { name: '', labels: { labelsKey: '' } },
        spec: { replicas: 0, paused: false, template: { spec: { containers: [{ name: '' }] } } },
      },
    });
  });
});

describe('the committed reference data', () => {
  const dir = join(REPO_ROOT, 'testdata/openapi');
  it('lists every committed spec in the manifest, and no prose is left in them', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Array<{ file: string }>;
    const files = [
      ...readdirSync(dir).filter((f) => f.endsWith('.json.gz')),
      ...readdirSync(join(dir, 'partial')).map((f) => `partial/${f}`),
    ].sort();
    expect(manifest.map((m) => m.file)).toEqual(files);
    expect(files).toHaveLength(18);
    const text = gunzipSync(readFileSync(join(dir, 'v1.36.json.gz'))).toString('utf8');
    expect(text).not.toMatch(/"description":"/);
    expect(text).toContain('"x-kubernetes-group-version-kind"');
  });
});
