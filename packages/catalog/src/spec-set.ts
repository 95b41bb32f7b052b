import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogInputError } from './errors.js';
import { minorNumber } from './minor.js';
import { SpecSnapshot } from './snapshot.js';
import { parseSpecBytes } from './spec.js';

/** One Kubernetes release's document from the reference spec directory. */
export interface ReleaseSpec {
  minor: string;
  /**
   * Latest minor whose changes the document may hold: its own minor, unless it is a development
   * snapshot taken after that release (then a change first seen in it is in [minor, maxMinor]).
   */
  maxMinor: string;
  /** Path relative to the spec directory: 'v1.18.json.gz' or 'partial/v1.23.json.gz'. */
  file: string;
  sha256: string;
  /** A live dump that lacks alpha and off-by-default groups: absence of a kind proves nothing. */
  partial: boolean;
  snapshot: SpecSnapshot;
}

const FILE = /^v1\.(\d+)\.json(\.gz)?$/;

/**
 * Reads `<dir>/v1.N.json.gz` (upstream swagger.json) and `<dir>/partial/v1.N.json.gz` (live
 * dumps). Only definitions named io.k8s.* are kept: partial dumps also hold a cluster's CRDs.
 */
export function loadReleaseSpecs(dir: string): ReleaseSpec[] {
  if (!existsSync(dir)) throw new CatalogInputError(`${dir}: spec directory not found`);
  const out: ReleaseSpec[] = [];
  for (const [sub, partial] of [
    ['', false],
    ['partial', true],
  ] as const) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      const m = FILE.exec(name);
      if (!m) continue;
      const file = sub ? `${sub}/${name}` : name;
      const bytes = readFileSync(join(d, name));
      const doc = parseSpecBytes(bytes, join(d, name));
      out.push({
        minor: `1.${m[1]}`,
        maxMinor: `1.${m[1]}`,
        file,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        partial,
        snapshot: new SpecSnapshot(doc, { kindFilter: (k) => k.definition.startsWith('io.k8s.') }),
      });
    }
  }
  return out.sort(
    (a, b) => minorNumber(a.minor) - minorNumber(b.minor) || Number(a.partial) - Number(b.partial),
  );
}
