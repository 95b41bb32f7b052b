// Regenerates data/generated/catalog.json from the reference OpenAPI specs and data/curated.json.
//   pnpm exec tsx packages/catalog/scripts/generate.ts --specs ../shared/data/openapi [--out <file>] [--check]
// --check compares with the committed file instead of writing it (exit code 1 when they differ).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  buildCatalog,
  CATALOG_PATH,
  loadCurated,
  loadReleaseSpecs,
  serializeCatalog,
} from '../src/generate-api.js';

const { values } = parseArgs({
  options: { specs: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean', default: false } },
});
if (!values.specs) {
  process.stderr.write(
    'usage: generate.ts --specs <dir with v1.N.json.gz and partial/> [--out <file>] [--check]\n',
  );
  process.exit(2);
}
const out = values.out ?? fileURLToPath(CATALOG_PATH);
let text: string;
try {
  text = serializeCatalog(buildCatalog(loadReleaseSpecs(values.specs), loadCurated()));
} catch (err) {
  // Curated facts the specs contradict are listed one per line: fix data/curated.json.
  process.stderr.write(`generate: ${(err as Error).message}\n`);
  process.exit(1);
}
if (values.check) {
  const same = readFileSync(out, 'utf8') === text;
  process.stdout.write(`${JSON.stringify({ file: out, upToDate: same })}\n`);
  process.exit(same ? 0 : 1);
}
writeFileSync(out, text);
process.stdout.write(`${JSON.stringify({ file: out, bytes: Buffer.byteLength(text) })}\n`);
