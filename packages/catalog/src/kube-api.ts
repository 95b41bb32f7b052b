import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CatalogInputError } from './errors.js';
import { minorNumber } from './minor.js';
import { gvkKey } from './resources.js';

/** One minor's round-trip fixtures (kubernetes/api testdata/HEAD): every field of every type populated. */
export interface FixtureSet {
  minor: string;
  /** Relative to the kube-api directory: 'fixtures/v1.24.json.gz'. */
  file: string;
  sha256: string;
  /** gvk key -> the populated example object. */
  types: Map<string, Record<string, unknown>>;
}

/** What upstream's zz_generated.prerelease-lifecycle.go says of one kind, in the newest tag that has it. */
export interface LifecycleFact {
  group: string;
  version: string;
  kind: string;
  /** The newest tag with a row for the kind: its word is upstream's latest (tags revise earlier ones). */
  tag: string;
  introduced?: string;
  deprecated?: string;
  removed?: string;
  /** group/version/Kind, as in the tag. */
  replacement?: string;
}

export interface KubeApi {
  fixtures: FixtureSet[];
  lifecycle: LifecycleFact[];
  files: Array<{ file: string; sha256: string }>;
}

const FIXTURE_FILE = /^v1\.(\d+)\.json(\.gz)?$/;
const MINOR = /^1\.\d{1,2}$/;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function readJson(path: string, bytes: Buffer): unknown {
  try {
    const text =
      bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    return JSON.parse(text);
  } catch (err) {
    throw new CatalogInputError(`${path}: not (gzip'd) JSON: ${(err as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads `<dir>/fixtures/v1.N.json.gz` and `<dir>/lifecycle.tsv` (../shared/data/kube-api, see its SOURCES.md). */
export function loadKubeApi(dir: string): KubeApi {
  if (!existsSync(dir)) throw new CatalogInputError(`${dir}: kube-api directory not found`);
  const files: KubeApi['files'] = [];
  const fixtures: FixtureSet[] = [];
  const fdir = join(dir, 'fixtures');
  for (const name of existsSync(fdir) ? readdirSync(fdir).sort() : []) {
    const m = FIXTURE_FILE.exec(name);
    if (!m) continue;
    const path = join(fdir, name);
    const bytes = readFileSync(path);
    const doc = readJson(path, bytes);
    if (!isObject(doc)) throw new CatalogInputError(`${path}: expected an object of fixtures by type`);
    const types = new Map<string, Record<string, unknown>>();
    for (const [stem, obj] of Object.entries(doc)) {
      if (!isObject(obj) || typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') continue;
      const slash = obj.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
      const version = obj.apiVersion.slice(slash + 1);
      // The file stem names the type; apiVersion/kind inside must agree or the fixture is not one.
      if (stem !== `${group || 'core'}.${version}.${obj.kind}`) continue;
      types.set(gvkKey({ group, version, kind: obj.kind }), obj);
    }
    const file = `fixtures/${name}`;
    files.push({ file, sha256: sha256(bytes) });
    fixtures.push({ minor: `1.${m[1]}`, file, sha256: sha256(bytes), types });
  }
  fixtures.sort((a, b) => minorNumber(a.minor) - minorNumber(b.minor));
  const tsvPath = join(dir, 'lifecycle.tsv');
  if (!existsSync(tsvPath)) throw new CatalogInputError(`${tsvPath}: not found`);
  const bytes = readFileSync(tsvPath);
  files.push({ file: 'lifecycle.tsv', sha256: sha256(bytes) });
  return { fixtures, lifecycle: parseLifecycleTsv(bytes.toString('utf8'), tsvPath), files };
}

const COLUMNS = ['tag', 'group', 'version', 'kind', 'introduced', 'deprecated', 'removed', 'replacement'];

/** The rows of lifecycle.tsv, reduced to the newest tag's row per kind. */
export function parseLifecycleTsv(text: string, where: string): LifecycleFact[] {
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines[0]?.split('\t').join(',') !== COLUMNS.join(',')) {
    throw new CatalogInputError(`${where}: expected the columns ${COLUMNS.join(', ')}`);
  }
  const newest = new Map<string, LifecycleFact>();
  lines.slice(1).forEach((line, i) => {
    const cells = line.split('\t');
    const [tag = '', group = '', version = '', kind = '', introduced, deprecated, removed, replacement] =
      cells;
    const bad = (what: string) => new CatalogInputError(`${where}:${i + 2}: ${what}`);
    if (cells.length !== COLUMNS.length) throw bad(`${cells.length} columns, expected ${COLUMNS.length}`);
    if (!/^v1\.\d{1,2}$/.test(tag)) throw bad(`tag '${tag}' is not v1.N`);
    if (!version || !kind) throw bad('no version or kind');
    for (const m of [introduced, deprecated, removed])
      if (m && !MINOR.test(m)) throw bad(`'${m}' is not a minor`);
    const fact: LifecycleFact = { group, version, kind, tag };
    if (introduced) fact.introduced = introduced;
    if (deprecated) fact.deprecated = deprecated;
    if (removed) fact.removed = removed;
    if (replacement) fact.replacement = replacement;
    const key = gvkKey(fact);
    const prev = newest.get(key);
    if (!prev || minorNumber(prev.tag.slice(1)) < minorNumber(tag.slice(1))) newest.set(key, fact);
  });
  return [...newest.values()].sort((a, b) => (gvkKey(a) < gvkKey(b) ? -1 : 1));
}
