import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Curated } from './curated.js';
import { CatalogInputError } from './errors.js';
import {
  buildCatalog,
  CATALOG_PATH,
  FIELDS_PATH,
  LIFECYCLE_PATH,
  loadCurated,
  loadKubeApi,
  loadReleaseSpecs,
  serializeCatalog,
  serializeFields,
  serializeLifecycle,
} from './generate-api.js';
import type { KubeApi } from './kube-api.js';
import type { ReleaseSpec } from './spec-set.js';
import { KUBE_API_DIR as KUBE_DIR, SPEC_DIR, upstreamSpecs } from './testing.js';

const REGENERATE = 'run: pnpm exec tsx packages/catalog/scripts/generate.ts --specs ../shared/data/openapi';

// The committed data must be what scripts/generate.ts makes of the reference specs and kube-api
// data, here their committed copies (testdata/: specs without prose, fixtures reduced to their
// shape), so a bare clone runs it; a missing directory is a failure, not a skip. Only the source
// hashes differ from upstream's files: the test takes the recorded ones after checking the specs'
// against testdata/openapi/manifest.json; `pnpm data:check` runs the generator on ../shared itself.
describe('generated catalog', () => {
  let specs: ReleaseSpec[];
  let curated: Curated;
  let kube: KubeApi;
  beforeAll(() => {
    expect(existsSync(SPEC_DIR), `reference specs expected at ${SPEC_DIR}`).toBe(true);
    expect(existsSync(KUBE_DIR), `kube-api data expected at ${KUBE_DIR}`).toBe(true);
    specs = loadReleaseSpecs(SPEC_DIR);
    curated = loadCurated();
    kube = loadKubeApi(KUBE_DIR);
    const recorded = new Map(
      (
        JSON.parse(readFileSync(CATALOG_PATH, 'utf8')) as { specs: Array<{ file: string; sha256: string }> }
      ).specs.map((s) => [s.file, s.sha256]),
    );
    for (const u of upstreamSpecs()) expect(recorded.get(u.file), u.file).toBe(u.sha256);
    const upstream = <T extends { file: string; sha256: string }>(x: T, prefix = ''): T => ({
      ...x,
      sha256: recorded.get(`${prefix}${x.file}`) ?? x.sha256,
    });
    specs = specs.map((s) => upstream(s));
    kube = {
      ...kube,
      files: kube.files.map((f) => upstream(f, 'kube-api/')),
      fixtures: kube.fixtures.map((f) => upstream(f, 'kube-api/')),
    };
  }, 60_000);

  it('reads the full and partial reference specs', () => {
    expect(specs.map((s) => s.file)).toEqual([
      ...['16', '17', '18', '19', '20', '21', '22'].map((n) => `v1.${n}.json.gz`),
      'partial/v1.23.json.gz',
      'partial/v1.26.json.gz',
      ...['28', '29', '30', '31', '32', '33', '34', '35', '36'].map((n) => `v1.${n}.json.gz`),
    ]);
    // partial/v1.23 is a live dump that also holds CRDs; only upstream kinds are kept.
    const p23 = specs.find((s) => s.file === 'partial/v1.23.json.gz')!;
    expect([...p23.snapshot.kinds.values()].every((k) => k.definition.startsWith('io.k8s.'))).toBe(true);
  });

  it('reproduces the committed catalog.json, fields.json.gz and lifecycle.tsv', () => {
    const { catalog, evidence, lifecycles } = buildCatalog(specs, curated, kube);
    const text = serializeCatalog(catalog);
    const committed = readFileSync(CATALOG_PATH, 'utf8');
    expect(text === committed, REGENERATE).toBe(true);
    expect(Buffer.byteLength(committed)).toBeLessThan(2_000_000);
    const sources = catalog.specs.filter((s) => !s.file.endsWith('lifecycle.tsv'));
    const fields = readFileSync(FIELDS_PATH);
    // Contents, not bytes: gzip output can differ between zlib versions.
    expect(gunzipSync(serializeFields(evidence, sources)).equals(gunzipSync(fields)), REGENERATE).toBe(true);
    expect(fields.length).toBeLessThan(300_000);
    const tsv = kube.files.find((f) => f.file === 'lifecycle.tsv')!;
    expect(serializeLifecycle(kube.lifecycle, lifecycles, tsv)).toBe(
      readFileSync(fileURLToPath(LIFECYCLE_PATH), 'utf8'),
    );
  });

  it('reads the fixtures of every minor 1.17-1.36 and one lifecycle fact per tagged kind', () => {
    expect(kube.fixtures.map((f) => f.minor)).toEqual(Array.from({ length: 20 }, (_, i) => `1.${17 + i}`));
    const lease = kube.lifecycle.filter(
      (f) => f.group === 'coordination.k8s.io' && f.version === 'v1beta1' && f.kind === 'Lease',
    );
    // One row per kind: the newest tag's (v1.36), not one per tag.
    expect(lease).toEqual([
      expect.objectContaining({ version: 'v1beta1', tag: 'v1.36', deprecated: '1.19', removed: '1.22' }),
    ]);
  });

  it('refuses a curated fact that the specs contradict', () => {
    const wrong: Curated = {
      ...curated,
      fields: [
        // Ingress pathType came with 1.18, not 1.20; and no kind has a field "bogus".
        {
          since: '1.20',
          kinds: [{ group: 'networking.k8s.io', version: 'v1beta1', kind: 'Ingress' }],
          paths: ['spec.rules[].http.paths[].pathType'],
          source: 'curated: test',
        },
        { since: '1.25', type: 'io.k8s.api.core.v1.PodSpec', paths: ['bogus'], source: 'curated: test' },
      ],
    };
    expect(() => buildCatalog(specs, wrong, kube)).toThrow(CatalogInputError);
    expect(() => buildCatalog(specs, wrong, kube)).toThrow(/pathType is already in v1\.18\.json\.gz/);
    expect(() => buildCatalog(specs, wrong, kube)).toThrow(
      /spec\.template\.spec\.bogus is missing from partial\/v1\.26\.json\.gz/,
    );
  });

  it('refuses a curated replacement served earlier than it says', () => {
    const api = curated.apis.find((a) => a.kinds.includes('CronJob'))!;
    const wrong: Curated = {
      ...curated,
      apis: [{ ...api, replacement: { group: 'batch', version: 'v1', servedSince: '1.23' } }],
    };
    expect(() => buildCatalog(specs, wrong, kube)).toThrow(
      /batch\/v1\/CronJob served since 1\.23, but v1\.21\.json\.gz has it/,
    );
  });
});
