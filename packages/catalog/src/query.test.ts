import { describe, expect, it } from 'vitest';
import { CatalogInputError } from './errors.js';
import type { Change } from './model.js';
import { changesBetween, changesFor, summarizeByResource } from './query.js';

const rec = (change: Change['change'], since: string, extra: Partial<Change> = {}): Change => ({
  change,
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  since,
  source: 'test',
  ...extra,
});

const catalog: Change[] = [
  rec('field-added', '1.18', { path: 'spec.a' }),
  rec('field-added', '1.19', { path: 'spec.b' }),
  rec('field-added', '1.21', { path: 'spec.c' }),
  rec('gvk-removed', '1.16', { group: 'extensions', version: 'v1beta1' }),
  rec('gvk-deprecated', '1.9', { group: 'extensions', version: 'v1beta1' }),
  rec('gvk-removed', '1.22', {
    group: 'networking.k8s.io',
    version: 'v1beta1',
    kind: 'Ingress',
    resource: 'ingresses',
  }),
  rec('gvk-added', '1.19', { group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses' }),
];

describe('changesBetween', () => {
  it('takes changes with current < since <= target', () => {
    const paths = changesBetween(catalog, '1.18', '1.21')
      .filter((c) => c.change === 'field-added')
      .map((c) => c.path);
    expect(paths).toEqual(['spec.b', 'spec.c']);
  });

  it('keeps every removal and deprecation up to the target, however old', () => {
    const got = changesBetween(catalog, '1.18', '1.21').filter(
      (c) => c.change.startsWith('gvk-re') || c.change === 'gvk-deprecated',
    );
    expect(got.map((c) => `${c.change} ${c.since}`)).toEqual(['gvk-removed 1.16', 'gvk-deprecated 1.9']);
    expect(
      changesBetween(catalog, '1.21', '1.22').some((c) => c.since === '1.22' && c.change === 'gvk-removed'),
    ).toBe(true);
  });

  it('accepts the same version forms as parseMinor', () => {
    expect(changesBetween(catalog, 'v1.17', '1.19.0')).toEqual(changesBetween(catalog, '1.17', '1.19'));
    expect(changesBetween(catalog, 'v1.17.3', 'v1.19.2-eks-abc')).toEqual(
      changesBetween(catalog, '1.17', '1.19'),
    );
    expect(() => changesBetween(catalog, 'v1.17-gke.3', '1.19')).toThrow(CatalogInputError);
  });

  it('with current == target keeps only removals and deprecations', () => {
    expect(changesBetween(catalog, '1.19', '1.19').map((c) => c.change)).toEqual([
      'gvk-removed',
      'gvk-deprecated',
    ]);
  });

  it('refuses a target older than current, and unknown versions', () => {
    expect(() => changesBetween(catalog, '1.21', '1.18')).toThrow(CatalogInputError);
    expect(() => changesBetween(catalog, '1.21', '1.18')).toThrow(
      /target version 1\.18 is older than current version 1\.21/,
    );
    expect(() => changesBetween(catalog, 'latest', '1.18')).toThrow(/not a Kubernetes version: 'latest'/);
    expect(() => changesBetween(catalog, '1.18', '1.99')).toThrow(/unknown Kubernetes version '1\.99'/);
  });
});

describe('changesFor', () => {
  it('returns the changes of one group and resource, oldest first', () => {
    const got = changesFor(catalog, 'networking.k8s.io', 'ingresses');
    expect(got.map((c) => `${c.change} ${c.since}`)).toEqual(['gvk-added 1.19', 'gvk-removed 1.22']);
    expect(changesFor(catalog, '', 'ingresses')).toEqual([]);
  });
});

describe('summarizeByResource', () => {
  it('counts by change type per group/resource, most first', () => {
    const s = summarizeByResource(catalog);
    expect(s[0]).toEqual({
      group: 'apps',
      resource: 'deployments',
      versions: ['v1'],
      counts: { 'field-added': 3 },
      total: 3,
    });
    expect(s.find((x) => x.group === 'extensions')?.counts).toEqual({
      'gvk-removed': 1,
      'gvk-deprecated': 1,
    });
  });
});
