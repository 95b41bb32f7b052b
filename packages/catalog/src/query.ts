import { CatalogInputError } from './errors.js';
import { minorNumber, parseMinor } from './minor.js';
import { CHANGE_TYPES, type Change, type ChangeType } from './model.js';

/**
 * The changes an upgrade from `current` to `target` brings: those that take effect in
 * current < since <= target, plus every removal and deprecation up to target, however old: a
 * client still calling a group/version removed before `current` will fail after the upgrade too
 * (and the audit log shows whether anyone does). Versions are parsed with parseMinor.
 */
export function changesBetween(changes: readonly Change[], current: string, target: string): Change[] {
  const from = minorNumber(parseMinor(current));
  const to = minorNumber(parseMinor(target));
  if (to < from) {
    throw new CatalogInputError(`target version ${target} is older than current version ${current}`);
  }
  return changes.filter((c) => {
    const since = minorNumber(c.since);
    if (c.change === 'gvk-removed' || c.change === 'gvk-deprecated') return since <= to;
    return from < since && since <= to;
  });
}

/** Changes that affect one resource (every version of it), oldest first. */
export function changesFor(changes: readonly Change[], group: string, resource: string): Change[] {
  return changes
    .filter((c) => c.group === group && c.resource === resource)
    .sort((a, b) => minorNumber(a.since) - minorNumber(b.since));
}

export interface ResourceSummary {
  group: string;
  resource: string;
  /** API versions with changes, sorted. */
  versions: string[];
  counts: Partial<Record<ChangeType, number>>;
  total: number;
}

/** One entry per (group, resource) with counts by change type, most changes first. */
export function summarizeByResource(changes: readonly Change[]): ResourceSummary[] {
  const byKey = new Map<string, ResourceSummary>();
  for (const c of changes) {
    const key = `${c.group}/${c.resource}`;
    let s = byKey.get(key);
    if (!s) {
      s = { group: c.group, resource: c.resource, versions: [], counts: {}, total: 0 };
      byKey.set(key, s);
    }
    if (!s.versions.includes(c.version)) s.versions.push(c.version);
    s.counts[c.change] = (s.counts[c.change] ?? 0) + 1;
    s.total++;
  }
  const out = [...byKey.values()];
  for (const s of out) {
    s.versions.sort();
    s.counts = Object.fromEntries(CHANGE_TYPES.filter((t) => s.counts[t]).map((t) => [t, s.counts[t]]));
  }
  return out.sort(
    (a, b) => b.total - a.total || `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`),
  );
}
