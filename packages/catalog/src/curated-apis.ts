import type { Curated } from './curated.js';
import { FIRST_MINOR, minorNumber } from './minor.js';
import type { Change } from './model.js';
import { gvkKey } from './resources.js';
import type { ReleaseSpec } from './spec-set.js';

/**
 * Records of the curated group/version (removed, deprecated), default and storage-version facts.
 * The resource plural comes from the newest spec that holds the kind; a kind no spec holds, or a
 * default on a field the kind does not have, is reported in `errors`.
 */
export function curatedApiRecords(curated: Curated, specs: ReleaseSpec[], errors: string[]): Change[] {
  const out: Change[] = [];
  const find = (group: string, version: string, kind: string) => {
    const key = gvkKey({ group, version, kind });
    const holder = [...specs].reverse().find((s) => s.snapshot.kinds.has(key));
    if (!holder) errors.push(`curated ${key}: no spec has this kind`);
    return holder ? { key, spec: holder, info: holder.snapshot.kinds.get(key)! } : undefined;
  };
  for (const api of curated.apis) {
    for (const kind of api.kinds) {
      const hit = find(api.group, api.version, kind);
      if (!hit) continue;
      const base = {
        group: api.group,
        version: api.version,
        kind,
        resource: hit.info.resource,
        source: api.source,
      };
      const details = api.replacement ? { details: { replacement: api.replacement } } : {};
      if (api.removedIn) out.push({ change: 'gvk-removed', ...base, since: api.removedIn, ...details });
      if (api.deprecatedIn)
        out.push({ change: 'gvk-deprecated', ...base, since: api.deprecatedIn, ...details });
    }
  }
  out.push(...replacementRecords(curated, specs, errors));
  for (const d of curated.defaults) {
    const hit = find(d.group, d.version, d.kind);
    if (!hit) continue;
    if (!hit.spec.snapshot.fields(hit.key).has(d.path)) {
      errors.push(`curated default ${hit.key} ${d.path}: no such field in ${hit.spec.file}`);
    }
    out.push({
      change: 'default-changed',
      group: d.group,
      version: d.version,
      kind: d.kind,
      resource: hit.info.resource,
      path: d.path,
      since: d.since,
      details: {
        oldDefault: d.oldDefault,
        newDefault: d.newDefault,
        ...(d.replacement ? { replacement: d.replacement } : {}),
      },
      source: d.source,
    });
  }
  for (const s of curated.storage) {
    const hit = find(s.group, s.newStorageVersion, s.kind);
    if (!hit) continue;
    out.push({
      change: 'storage-version-changed',
      group: s.group,
      version: s.newStorageVersion,
      kind: s.kind,
      resource: hit.info.resource,
      since: s.since,
      details: { oldStorageVersion: s.oldStorageVersion, newStorageVersion: s.newStorageVersion },
      source: s.source,
    });
  }
  return out;
}

/**
 * The replacement group/versions, as gvk-added records from the minor they are served since. This
 * fills the minors without a diff (CSIStorageCapacity v1 in 1.24, flowcontrol v1beta3 in 1.26) and
 * checks the curated minors: the kind is in no document before, and in the first one from then on.
 */
function replacementRecords(curated: Curated, specs: ReleaseSpec[], errors: string[]): Change[] {
  const out = new Map<string, Change>();
  for (const api of curated.apis) {
    const rep = api.replacement;
    if (!rep?.servedSince || minorNumber(rep.servedSince) <= FIRST_MINOR) continue;
    const since = minorNumber(rep.servedSince);
    for (const kind of api.kinds) {
      const key = gvkKey({ group: rep.group, version: rep.version, kind });
      const prev = out.get(key);
      if (prev) {
        if (prev.since !== rep.servedSince)
          errors.push(`curated replacement ${key}: served since ${prev.since} or ${rep.servedSince}?`);
        continue;
      }
      const holding = specs.filter((s) => s.snapshot.kinds.has(key));
      const info = holding[0]?.snapshot.kinds.get(key);
      if (!info) {
        errors.push(`curated replacement ${key}: no spec has this kind`);
        continue;
      }
      const early = specs.find((s) => minorNumber(s.maxMinor) < since && s.snapshot.kinds.has(key));
      if (early)
        errors.push(`curated replacement ${key} served since ${rep.servedSince}, but ${early.file} has it`);
      const first = specs.find((s) => !s.partial && minorNumber(s.minor) >= since);
      if (first && minorNumber(first.minor) === since && !first.snapshot.kinds.has(key)) {
        errors.push(`curated replacement ${key} served since ${rep.servedSince}, but ${first.file} lacks it`);
      }
      out.set(key, {
        change: 'gvk-added',
        group: rep.group,
        version: rep.version,
        kind,
        resource: info.resource,
        since: rep.servedSince,
        source: `${api.source} (the replacement, served since ${rep.servedSince})`,
      });
    }
  }
  return [...out.values()];
}
