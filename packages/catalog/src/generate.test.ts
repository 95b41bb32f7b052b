import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Curated } from './curated.js';
import { CatalogInputError } from './errors.js';
import {
  buildCatalog,
  CATALOG_PATH,
  loadCurated,
  loadReleaseSpecs,
  serializeCatalog,
} from './generate-api.js';
import type { ReleaseSpec } from './spec-set.js';
import { SPEC_DIR, upstreamSpecs } from './testing.js';

// The committed data must be what scripts/generate.ts makes of the reference specs (committed under
// testdata/openapi; a missing directory is a failure, not a skip).
describe('generated catalog', () => {
  let specs: ReleaseSpec[];
  let curated: Curated;
  beforeAll(() => {
    expect(existsSync(SPEC_DIR), `reference specs expected at ${SPEC_DIR}`).toBe(true);
    specs = loadReleaseSpecs(SPEC_DIR);
    curated = loadCurated();
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

  it('reproduces the committed data/generated/catalog.json', () => {
    // The committed specs lack upstream's prose, so only the hashes differ: the catalog records the
    // upstream files' (pnpm data:check runs the generator on those and compares byte for byte).
    const built = JSON.parse(serializeCatalog(buildCatalog(specs, curated))) as { specs: unknown };
    const committed = readFileSync(CATALOG_PATH, 'utf8');
    const parsed = JSON.parse(committed) as { specs: Array<{ file: string; sha256: string }> };
    expect(
      JSON.stringify({ ...built, specs: [] }) === JSON.stringify({ ...parsed, specs: [] }),
      'run: pnpm exec tsx packages/catalog/scripts/generate.ts --specs ../shared/data/openapi',
    ).toBe(true);
    const byFile = (a: Array<{ file: string }>) => [...a].sort((x, y) => x.file.localeCompare(y.file));
    expect(byFile(parsed.specs)).toEqual(byFile(upstreamSpecs()));
    expect(Buffer.byteLength(committed)).toBeLessThan(2_000_000);
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
    expect(() => buildCatalog(specs, wrong)).toThrow(CatalogInputError);
    expect(() => buildCatalog(specs, wrong)).toThrow(/pathType is already in v1\.18\.json\.gz/);
    expect(() => buildCatalog(specs, wrong)).toThrow(
      /spec\.template\.spec\.bogus is missing from partial\/v1\.26\.json\.gz/,
    );
  });

  it('refuses a curated replacement served earlier than it says', () => {
    const api = curated.apis.find((a) => a.kinds.includes('CronJob'))!;
    const wrong: Curated = {
      ...curated,
      apis: [{ ...api, replacement: { group: 'batch', version: 'v1', servedSince: '1.23' } }],
    };
    expect(() => buildCatalog(specs, wrong)).toThrow(
      /batch\/v1\/CronJob served since 1\.23, but v1\.21\.json\.gz has it/,
    );
  });
});
