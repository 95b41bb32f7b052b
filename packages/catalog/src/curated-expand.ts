import type { CuratedField } from './curated.js';
import { joinPath } from './expand.js';
import { minorNumber } from './minor.js';
import type { Change } from './model.js';
import { gvkKey } from './resources.js';
import type { KindInfo } from './snapshot.js';
import type { ReleaseSpec } from './spec-set.js';

export const isAlpha = (version: string): boolean => /alpha/.test(version);

/** Minor in which each kind stopped being served (curated or seen in a diff), by gvk key. */
export type RemovedAt = Map<string, number>;

type FieldChange = 'field-added' | 'field-removed';

/**
 * Turns one curated field entry into records, one per kind and path. Where a type sits in each
 * kind (a PodSpec in Pods, Deployments, CronJobs...) is read from the nearest full specs around its
 * release: the one after it for an added field, the one before for a removed one (the other one
 * covers kinds that exist on one side only). Then every record is checked against every spec that
 * holds the kind; a fact the specs contradict is an error, not a record.
 */
export function expandCuratedField(
  entry: CuratedField,
  change: FieldChange,
  specs: ReleaseSpec[],
  removedAt: RemovedAt,
): { records: Change[]; errors: string[] } {
  const since = minorNumber(entry.since);
  const full = specs.filter((s) => !s.partial);
  const after = full.find((s) => minorNumber(s.minor) >= since);
  const before = [...full].reverse().find((s) => minorNumber(s.maxMinor) < since);
  const candidates = new Map<string, { spec: ReleaseSpec; kind: KindInfo }>();
  for (const spec of change === 'field-added' ? [after, before] : [before, after]) {
    if (!spec) continue;
    for (const [key, kind] of spec.snapshot.kinds) {
      if (candidates.has(key) || isAlpha(kind.version)) continue;
      const gone = removedAt.get(key);
      if (gone !== undefined && gone <= since) continue;
      candidates.set(key, { spec, kind });
    }
  }
  const records: Change[] = [];
  for (const [key, { spec, kind }] of candidates) {
    let paths: string[] = [];
    if (entry.type !== undefined) {
      const prefixes = spec.snapshot
        .anchors(key)
        .filter((a) => a.type === entry.type)
        .map((a) => a.prefix);
      paths = prefixes.flatMap((p) => entry.paths.map((rel) => joinPath(p, rel)));
    } else if (
      entry.kinds?.some(
        (k) =>
          k.group === kind.group &&
          k.kind === kind.kind &&
          (k.version === undefined || k.version === kind.version),
      )
    ) {
      paths = entry.paths;
    }
    for (const path of [...new Set(paths)]) {
      const details: Change['details'] = {};
      if (entry.ifOmitted !== undefined) details.ifOmitted = entry.ifOmitted;
      if (entry.featureGate !== undefined) details.featureGate = entry.featureGate;
      records.push({
        change,
        group: kind.group,
        version: kind.version,
        kind: kind.kind,
        resource: kind.resource,
        path,
        since: entry.since,
        ...(Object.keys(details).length > 0 ? { details } : {}),
        source: entry.source,
      });
    }
  }
  const what = `curated ${change} ${entry.type ?? entry.kinds?.map((k) => k.kind).join('/')} ${entry.paths.join(', ')} (${entry.since})`;
  const errors = records.length === 0 ? [`${what}: matches no kind in the specs`] : [];
  for (const r of records) errors.push(...checkEvidence(r, specs).map((e) => `${what}: ${e}`));
  return { records, errors };
}

/**
 * An added field is absent from every document before `since` and present in the first one from
 * `since` on; a removed field the other way round (only the nearest documents are compared, so a
 * field that later comes and goes again is not an error).
 */
function checkEvidence(r: Change, specs: ReleaseSpec[]): string[] {
  const key = gvkKey(r);
  const since = minorNumber(r.since);
  const holding = specs.filter((s) => s.snapshot.kinds.has(key));
  const firstAfter = Math.min(...holding.map((s) => minorNumber(s.minor)).filter((m) => m >= since));
  const lastBefore = Math.max(...holding.map((s) => minorNumber(s.maxMinor)).filter((m) => m < since));
  const added = r.change === 'field-added';
  const errors: string[] = [];
  for (const s of holding) {
    const has = s.snapshot.fields(key).has(r.path!);
    const before = minorNumber(s.maxMinor) < since;
    if (added && before && has) errors.push(`${key} ${r.path} is already in ${s.file}`);
    if (!added && minorNumber(s.maxMinor) === lastBefore && before && !has) {
      errors.push(`${key} ${r.path} is not in ${s.file}`);
    }
    const first = minorNumber(s.minor) === firstAfter;
    if (added && first && !has) errors.push(`${key} ${r.path} is missing from ${s.file}`);
    if (!added && first && has) errors.push(`${key} ${r.path} is still in ${s.file}`);
  }
  return errors;
}
