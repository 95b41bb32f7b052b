import { isAlpha } from './curated-expand.js';
import type { KindEvidence, Observation } from './field-evidence.js';
import { fixturePaths } from './fixture-paths.js';
import type { FixtureSet } from './kube-api.js';
import { minorNumber } from './minor.js';
import type { KindInfo } from './snapshot.js';
import type { ReleaseSpec } from './spec-set.js';

/**
 * The field evidence of every non-alpha kind the documents serve: each document that holds it
 * (partial dumps too: they hold few kinds, but those whole) and each fixture of it, read with the
 * map and leaf paths the documents give for the kind.
 */
export function buildEvidence(specs: ReleaseSpec[], fixtures: FixtureSet[]): KindEvidence[] {
  const infos = new Map<string, KindInfo>();
  for (const s of specs) for (const [key, k] of s.snapshot.kinds) if (!isAlpha(k.version)) infos.set(key, k);
  const out: KindEvidence[] = [];
  for (const [key, info] of [...infos].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const observations: Observation[] = [];
    const maps = new Set<string>();
    const leaves = new Set<string>();
    for (const s of specs) {
      if (!s.snapshot.kinds.has(key)) continue;
      const shape = s.snapshot.shape(key);
      for (const m of shape.maps) maps.add(m);
      for (const l of shape.leaves) leaves.add(l);
      observations.push({
        label: `openapi ${s.file.replace(/\.json(\.gz)?$/, '')}`,
        lo: minorNumber(s.minor),
        hi: minorNumber(s.maxMinor),
        paths: new Set(s.snapshot.fields(key).keys()),
      });
    }
    for (const f of fixtures) {
      const obj = f.types.get(key);
      if (!obj) continue;
      const n = minorNumber(f.minor);
      observations.push({
        label: `kube-api fixtures v${f.minor}`,
        lo: n,
        hi: n,
        paths: fixturePaths(obj, { maps, leaves }),
      });
    }
    observations.sort((a, b) => a.lo - b.lo || a.hi - b.hi || (a.label < b.label ? -1 : 1));
    out.push({
      group: info.group,
      version: info.version,
      kind: info.kind,
      resource: info.resource,
      observations,
    });
  }
  return out;
}
