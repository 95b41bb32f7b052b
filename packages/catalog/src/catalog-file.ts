import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { BuiltCatalog } from './build.js';
import { type Change, type ChangeDetails, changeSchema } from './model.js';

export const CATALOG_PATH = new URL('../data/generated/catalog.json', import.meta.url);

const catalogFileSchema = z
  .object({
    about: z.string(),
    specs: z.array(z.object({ file: z.string(), sha256: z.string() }).strict()),
    groups: z.array(z.string()),
    changes: z.array(changeSchema),
  })
  .strict();

const DETAIL_KEYS: Array<keyof ChangeDetails> = [
  'replacement',
  'oldDefault',
  'newDefault',
  'oldStorageVersion',
  'newStorageVersion',
  'featureGate',
  'ifOmitted',
  'plannedRemovalIn',
];

/** The record with its keys in one fixed order, so the committed file only changes when data does. */
export function normalizeChange(c: Change): Change {
  let details: ChangeDetails | undefined;
  if (c.details) {
    details = {};
    for (const k of DETAIL_KEYS)
      if (c.details[k] !== undefined) (details as Record<string, unknown>)[k] = c.details[k];
  }
  return {
    change: c.change,
    group: c.group,
    version: c.version,
    kind: c.kind,
    resource: c.resource,
    ...(c.path !== undefined ? { path: c.path } : {}),
    since: c.since,
    ...(details ? { details } : {}),
    source: c.source,
  };
}

/** JSON with one change per line: small diffs in review, and still one JSON.parse to load. */
export function serializeCatalog(cat: BuiltCatalog): string {
  const head = JSON.stringify({ about: cat.about, specs: cat.specs, groups: cat.groups }, null, 2).slice(
    0,
    -2,
  );
  const lines = cat.changes.map((c) => `    ${JSON.stringify(normalizeChange(c))}`);
  return `${head},\n  "changes": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

export function parseCatalogFile(text: string, where: string): BuiltCatalog {
  const res = catalogFileSchema.safeParse(JSON.parse(text));
  if (!res.success) throw new Error(`${where}: not a catalog file: ${res.error.issues[0]?.message ?? ''}`);
  return res.data;
}

/**
 * The shipped catalog, read and validated on each call (about 10 ms): no module state, and every
 * caller gets records of its own.
 */
export function loadBuiltinCatalog(): BuiltCatalog {
  return parseCatalogFile(readFileSync(CATALOG_PATH, 'utf8'), CATALOG_PATH.pathname);
}

/** Every built-in change record, 1.16..1.36. */
export function builtinChanges(): Change[] {
  return loadBuiltinCatalog().changes;
}

/** API groups of upstream Kubernetes (from the reference specs). */
export function builtinGroups(): ReadonlySet<string> {
  return new Set(loadBuiltinCatalog().groups);
}
