import type { Change as CatalogRecord } from '@radar/catalog';

/** The fields of a catalog record read here (the ranking's and the catalog's types both fit). */
export type Change = Pick<CatalogRecord, 'change' | 'group' | 'version' | 'resource' | 'since'> & {
  path?: string | undefined;
};

import { inUpgrade, minorNumber } from './version.js';

/** What an upgrade from -> to (minors as numbers) brings, picked from the catalog. */
export interface UpgradeChanges {
  /** 'group/resource' of resources with field changes (a write through an older apiserver drops them). */
  fieldChanged: string[];
  /** 'group/version/resource' served only from a minor in (from, to]: `from` does not serve them. */
  newGroupVersions: string[];
  /** 'group/resource' whose storage version moved in (from, to]. */
  storageMoved: string[];
  /** 'group/resource|path' of fields added in (from, to]: a rollback drops them. */
  addedFields: string[];
  /** The catalog records behind each key, for the evidence shown. */
  records: Map<string, Change[]>;
}

const FIELD_CHANGES = new Set(['field-added', 'field-removed', 'default-changed']);

export function upgradeChanges(catalog: readonly Change[], from: number, to: number): UpgradeChanges {
  const records = new Map<string, Change[]>();
  const sets = {
    fieldChanged: new Set<string>(),
    newGroupVersions: new Set<string>(),
    storageMoved: new Set<string>(),
    addedFields: new Set<string>(),
  };
  const add = (set: Set<string>, key: string, c: Change) => {
    set.add(key);
    records.set(key, [...(records.get(key) ?? []), c]);
  };
  // A group/version removed and served again later is still "added" only if `from` lacks it.
  const servedAtFrom = new Set(
    catalog
      .filter((c) => c.change === 'gvk-added' && minorNumber(c.since) <= from)
      .map((c) => `${c.group}/${c.version}/${c.resource}`),
  );
  for (const c of catalog) {
    if (!inUpgrade(c.since, from, to)) continue;
    const gr = `${c.group}/${c.resource}`;
    if (FIELD_CHANGES.has(c.change)) add(sets.fieldChanged, gr, c);
    if (c.change === 'field-added' && c.path) add(sets.addedFields, `${gr}|${c.path}`, c);
    if (c.change === 'storage-version-changed') add(sets.storageMoved, gr, c);
    const gvr = `${c.group}/${c.version}/${c.resource}`;
    if (c.change === 'gvk-added' && !servedAtFrom.has(gvr)) add(sets.newGroupVersions, gvr, c);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    fieldChanged: sorted(sets.fieldChanged),
    newGroupVersions: sorted(sets.newGroupVersions),
    storageMoved: sorted(sets.storageMoved),
    addedFields: sorted(sets.addedFields),
    records,
  };
}

/** Resource plurals of 'group/resource' or 'group/version/resource' keys (for the sorting key). */
export const resourcesOf = (keys: readonly string[]): string[] => [
  ...new Set(keys.map((k) => k.split('|')[0]!.split('/').at(-1)!)),
];
