// Regenerates the committed catalog data from the reference sources and data/curated.json:
//   data/generated/catalog.json     the change records
//   data/generated/fields.json.gz   per kind: each document and fixture that holds it, and its field paths
//   data/generated/lifecycle.tsv    upstream's lifecycle tags (newest per kind), with each kind's resource
//   docs/catalog.md                 its conformance table (pluto and kube-no-trouble beside the catalog and the tags)
//   pnpm exec tsx packages/catalog/scripts/generate.ts --specs ../shared/data/openapi [--kube-api DIR] [--check]
// --kube-api defaults to kube-api beside the specs directory. --check compares with the committed
// files instead of writing them (exit code 1 when one differs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  conformanceRows,
  DOCS_PATH,
  loadToolFacts,
  parseLifecycleRows,
  renderConformance,
  withTable,
} from '../src/conformance-api.js';
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
} from '../src/generate-api.js';

const { values } = parseArgs({
  options: {
    specs: { type: 'string' },
    'kube-api': { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});
if (!values.specs) {
  process.stderr.write(
    'usage: generate.ts --specs <dir with v1.N.json.gz and partial/> [--kube-api <dir>] [--check]\n',
  );
  process.exit(2);
}
const kubeDir = values['kube-api'] ?? join(dirname(values.specs), 'kube-api');
let files: Array<[URL, Buffer]>;
try {
  const kube = loadKubeApi(kubeDir);
  const { catalog, evidence, lifecycles } = buildCatalog(loadReleaseSpecs(values.specs), loadCurated(), kube);
  const tsv = kube.files.find((f) => f.file === 'lifecycle.tsv')!;
  const sources = catalog.specs.filter((s) => !s.file.endsWith('lifecycle.tsv'));
  const lifecycleTsv = serializeLifecycle(kube.lifecycle, lifecycles, tsv);
  const table = renderConformance(
    conformanceRows(
      loadToolFacts(),
      parseLifecycleRows(lifecycleTsv),
      catalog.changes,
      new Set(catalog.groups),
    ),
  );
  files = [
    [CATALOG_PATH, Buffer.from(serializeCatalog(catalog))],
    [FIELDS_PATH, serializeFields(evidence, sources)],
    [LIFECYCLE_PATH, Buffer.from(lifecycleTsv)],
    [DOCS_PATH, Buffer.from(withTable(readFileSync(DOCS_PATH, 'utf8'), table))],
  ];
} catch (err) {
  // Curated facts the sources contradict are listed one per line: fix data/curated.json.
  process.stderr.write(`generate: ${(err as Error).message}\n`);
  process.exit(1);
}
const report = files.map(([url, bytes]) => {
  const path = fileURLToPath(url);
  // gzip bytes can differ between zlib versions: a .gz file is current when its contents are.
  const same = (a: Buffer, b: Buffer) =>
    path.endsWith('.gz') ? gunzipSync(a).equals(gunzipSync(b)) : a.equals(b);
  if (values.check) return { file: path, upToDate: existsSync(path) && same(readFileSync(path), bytes) };
  writeFileSync(path, bytes);
  return { file: path, bytes: bytes.length };
});
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(report.every((r) => r.upToDate !== false) ? 0 : 1);
