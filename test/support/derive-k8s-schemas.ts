// Writes (or with --check, compares) deploy/helm/schemas/kubernetes-openapi-subset.json from the
// reference OpenAPI documents; biome formats it afterwards (compared as JSON, not bytes):
//   pnpm exec tsx test/support/derive-k8s-schemas.ts --specs ../shared/data/openapi [--check]

import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { deriveSubsetFile, SUBSET_PATH, serializeSubset } from './k8s-schemas.js';

const args = process.argv.slice(2);
const specs = args[args.indexOf('--specs') + 1];
if (!args.includes('--specs') || !specs) {
  process.stderr.write('usage: derive-k8s-schemas.ts --specs <dir of vX.Y.json.gz> [--check]\n');
  process.exit(2);
}
const derived = deriveSubsetFile(specs);
const text = serializeSubset(derived);
if (args.includes('--check')) {
  const same = isDeepStrictEqual(JSON.parse(readFileSync(SUBSET_PATH, 'utf8')), derived);
  process.stderr.write(
    same ? 'up to date\n' : `${SUBSET_PATH} differs from the specs: rerun without --check\n`,
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(SUBSET_PATH, text);
process.stderr.write(`wrote ${SUBSET_PATH} (${Buffer.byteLength(text)} bytes): now pnpm format\n`);
