// What the repository keeps of the reference data beside it (../shared/data): every committed file
// under testdata/ (and the user-agent list of packages/client-identity/testdata) is a pure function
// of one upstream file, so `pnpm data:check` can regenerate and compare all of them.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface DerivedFile {
  /** Path relative to the repository root. */
  path: string;
  /** The content; for `.gz` files the uncompressed bytes (gzip output varies with zlib builds). */
  content: Buffer;
  /** The upstream file it comes from, relative to the shared data directory. */
  from: string;
}

/** Directories whose every file must come from a derivation (a stray file is reported). */
export const MANAGED_DIRS = ['testdata/openapi', 'testdata/audit', 'testdata/kube-api'];

const SPEC = /^v1\.\d+\.json\.gz$/;

/**
 * An OpenAPI document without its prose: string `description` values go (schemas, operations,
 * parameters); a property that happens to be called `description` is an object and stays.
 */
export function structureOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structureOnly);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'description' && typeof v === 'string') continue;
    out[k] = structureOnly(v);
  }
  return out;
}

/**
 * A fixtures file (stem -> round-trip fixture) reduced to its shape: placeholder leaves become typed
 * blanks ('', 0, false); map keys, list lengths and each fixture's kind/apiVersion stay.
 */
export function fixtureShape(file: unknown): unknown {
  if (file === null || typeof file !== 'object' || Array.isArray(file)) return blank(file);
  const out: Record<string, unknown> = {};
  for (const [stem, fixture] of Object.entries(file)) out[stem] = blank(fixture, true);
  return out;
}

function blank(value: unknown, typeMeta = false): unknown {
  if (Array.isArray(value)) return value.map((v) => blank(v));
  if (typeof value === 'string') return '';
  if (typeof value === 'number') return 0;
  if (typeof value === 'boolean') return false;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = typeMeta && (k === 'kind' || k === 'apiVersion') ? v : blank(v);
  }
  return out;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const json = (v: unknown) => Buffer.from(`${JSON.stringify(v)}\n`);

function specFiles(dir: string): string[] {
  const top = readdirSync(dir).filter((f) => SPEC.test(f));
  const partial = existsSync(join(dir, 'partial'))
    ? readdirSync(join(dir, 'partial'))
        .filter((f) => SPEC.test(f))
        .map((f) => `partial/${f}`)
    : [];
  return [...top, ...partial].sort();
}

function openapi(data: string): DerivedFile[] {
  const dir = join(data, 'openapi');
  const out: DerivedFile[] = [];
  const manifest: Array<{ file: string; upstreamSha256: string }> = [];
  for (const file of specFiles(dir)) {
    const bytes = readFileSync(join(dir, file));
    manifest.push({ file, upstreamSha256: sha256(bytes) });
    const doc = JSON.parse(gunzipSync(bytes).toString('utf8')) as unknown;
    out.push({
      path: `testdata/openapi/${file}`,
      content: json(structureOnly(doc)),
      from: `openapi/${file}`,
    });
  }
  // The catalog records the upstream files' hashes; the tests check them against this list.
  out.push({ path: 'testdata/openapi/manifest.json', content: json(manifest), from: 'openapi/' });
  return out;
}

/** Real audit samples, byte for byte (the large one gzipped). */
function audit(data: string): DerivedFile[] {
  const dir = join(data, 'audit');
  return readdirSync(dir)
    .filter((f) => f !== 'SOURCES.md')
    .sort()
    .map((f) => {
      const content = readFileSync(join(dir, f));
      const gz = content.length > 100_000 ? '.gz' : '';
      return { path: `testdata/audit/${f}${gz}`, content, from: `audit/${f}` };
    });
}

function kubeApi(data: string): DerivedFile[] {
  const dir = join(data, 'kube-api');
  const out: DerivedFile[] = [
    {
      path: 'testdata/kube-api/lifecycle.tsv',
      content: readFileSync(join(dir, 'lifecycle.tsv')),
      from: 'kube-api/lifecycle.tsv',
    },
  ];
  for (const f of readdirSync(join(dir, 'fixtures'))
    .filter((n) => SPEC.test(n))
    .sort()) {
    const doc = JSON.parse(gunzipSync(readFileSync(join(dir, 'fixtures', f))).toString('utf8')) as unknown;
    out.push({
      path: `testdata/kube-api/fixtures/${f}`,
      content: json(fixtureShape(doc)),
      from: `kube-api/fixtures/${f}`,
    });
  }
  return out;
}

function userAgents(data: string): DerivedFile[] {
  return [
    {
      path: 'packages/client-identity/testdata/user-agents.txt',
      content: readFileSync(join(data, 'user-agents.txt')),
      from: 'user-agents.txt',
    },
  ];
}

/** The provenance notes of each upstream directory, copied beside what was derived from it. */
function sources(data: string): DerivedFile[] {
  return [
    ['openapi/SOURCES.md', 'testdata/openapi/SOURCES.md'],
    ['audit/SOURCES.md', 'testdata/audit/SOURCES.md'],
    ['kube-api/SOURCES.md', 'testdata/kube-api/SOURCES.md'],
    ['user-agents.SOURCES.md', 'packages/client-identity/testdata/user-agents.SOURCES.md'],
  ].map(([from, path]) => ({ path: path!, content: readFileSync(join(data, from!)), from: from! }));
}

/** Every derived file, from `<shared>/data`. */
export function deriveAll(shared: string): DerivedFile[] {
  const data = join(shared, 'data');
  if (!existsSync(data)) throw new Error(`${data}: reference data directory not found`);
  return [...openapi(data), ...audit(data), ...kubeApi(data), ...userAgents(data), ...sources(data)];
}

/** The bytes to write for a derived file (gzip for `.gz`). */
export function encode(f: DerivedFile): Buffer {
  return f.path.endsWith('.gz') ? gzipSync(f.content, { level: 9 }) : f.content;
}

/** The committed file's content as a derivation would produce it, or undefined when absent. */
export function readCommitted(root: string, path: string): Buffer | undefined {
  const p = join(root, path);
  if (!existsSync(p)) return undefined;
  const bytes = readFileSync(p);
  return path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}
