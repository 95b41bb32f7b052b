import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogInputError } from './errors.js';
import { changesBetween } from './query.js';
import { crdSpec, type FixtureKind } from './testing.js';
import { importSpec, listImports, prepareImport, userChanges } from './user.js';

const kind = (
  version: string,
  spec: FixtureKind['spec'],
  k = 'Certificate',
  plural = 'certificates',
): FixtureKind => ({
  group: 'cert-manager.io',
  version,
  kind: k,
  plural,
  spec,
});
const str = { type: 'string' };
// cert-manager before (v1alpha2 still served) and after its upgrade, plus a built-in kind a
// cluster dump would also hold.
const podLike: FixtureKind = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  spec: { properties: { replicas: str } },
};
const v15 = crdSpec(
  [
    kind('v1alpha2', { properties: { dnsNames: str } }),
    kind('v1', { properties: { dnsNames: str, duration: { ...str, default: '2160h' } } }),
    podLike,
  ],
  'unversioned',
);
const v114 = crdSpec(
  [
    kind('v1', {
      properties: {
        dnsNames: str,
        duration: { ...str, default: '720h' },
        secretTemplate: { properties: { labels: { type: 'object' } } },
      },
    }),
    podLike,
  ],
  'v1.28.2',
);

describe('user catalogs in ClickHouse', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-cat-')), database: 'radar_test' });
    await migrate(store);
  });
  afterAll(async () => store.close());

  it('starts empty', async () => {
    expect(await userChanges(store)).toEqual([]);
  });

  it('diffs consecutive imports of a name; changes take effect at the later minor', async () => {
    expect(await importSpec(store, 'cert-manager', v15, { version: '1.27' })).toEqual({
      name: 'cert-manager',
      minor: '1.27',
      kinds: 2,
      fields: 11,
    });
    await importSpec(store, 'cert-manager', v114); // 1.28 from info.version
    const changes = await userChanges(store);
    expect(changes.map((c) => `${c.change} ${c.version} ${c.path ?? ''}`)).toEqual([
      'default-changed v1 spec.duration',
      'field-added v1 spec.secretTemplate',
      'gvk-removed v1alpha2 ',
    ]);
    for (const c of changes) {
      expect(c).toMatchObject({
        group: 'cert-manager.io',
        kind: 'Certificate',
        resource: 'certificates',
        since: '1.28',
      });
      expect(c.source).toBe('user catalog cert-manager: import 1.27 -> 1.28 (v1.28.2)');
    }
    expect(changes[0]?.details).toEqual({ oldDefault: '2160h', newDefault: '720h' });
    // They join the built-in catalog in version queries.
    expect(changesBetween(changes, '1.27', '1.28')).toHaveLength(3);
    expect(changesBetween(changes, '1.28', '1.29').map((c) => c.change)).toEqual(['gvk-removed']);
  });

  it('keeps built-in groups out (the built-in catalog covers them) and lists imports', async () => {
    expect((await userChanges(store)).some((c) => c.group === 'apps')).toBe(false);
    expect(await listImports(store)).toEqual([
      { name: 'cert-manager', minor: '1.27', infoVersion: 'unversioned', kinds: 2 },
      { name: 'cert-manager', minor: '1.28', infoVersion: 'v1.28.2', kinds: 1 },
    ]);
  });

  it('replaces an import of the same name and minor, and keeps names apart', async () => {
    await importSpec(store, 'cert-manager', v114, { version: '1.27' });
    await importSpec(store, 'other', v15, { version: '1.30' });
    expect(await userChanges(store)).toEqual([]);
    expect((await listImports(store)).map((i) => `${i.name}@${i.minor}`)).toEqual([
      'cert-manager@1.27',
      'cert-manager@1.28',
      'other@1.30',
    ]);
  });

  it('refuses bad input before writing anything', async () => {
    const before = await listImports(store);
    await expect(
      importSpec(store, 'x', { swagger: '2.0', definitions: {} }, { version: '1.27' }),
    ).rejects.toThrow(/no custom resource kinds/);
    await expect(importSpec(store, 'x', crdSpec([podLike]), { version: '1.27' })).rejects.toThrow(
      /only upstream Kubernetes groups/,
    );
    await expect(importSpec(store, 'x', v15)).rejects.toThrow(/cannot tell at which Kubernetes version/);
    await expect(importSpec(store, 'x', v15, { version: 'latest' })).rejects.toThrow(CatalogInputError);
    await expect(importSpec(store, 'bad name', v15, { version: '1.27' })).rejects.toThrow(/bad catalog name/);
    await expect(
      importSpec(store, 'x', { openapi: '3.0.0' }, { version: '1.27', where: 'a.json' }),
    ).rejects.toThrow(/^a\.json: an OpenAPI 3\.0\.0/);
    expect(await listImports(store)).toEqual(before);
  });
});

describe('prepareImport', () => {
  it('reduces a spec to its custom kinds, fields and defaults', () => {
    const p = prepareImport('cm', v15, { version: '1.27.4' });
    expect(p.minor).toBe('1.27');
    expect(p.kinds.map((k) => `${k.group}/${k.version}/${k.kind}:${k.resource}`)).toEqual([
      'cert-manager.io/v1/Certificate:certificates',
      'cert-manager.io/v1alpha2/Certificate:certificates',
    ]);
    expect(p.kinds[0]?.paths).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
      'spec.dnsNames',
      'spec.duration',
    ]);
    expect(p.kinds[0]?.defaults).toEqual({ 'spec.duration': '2160h' });
  });
});
