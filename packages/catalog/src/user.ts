import { catalogImports, insertRows, type RowOf, type Store } from '@radar/store';
import { builtinGroups } from './catalog-file.js';
import { type Diffable, diffSnapshots, sortChanges } from './diff.js';
import { CatalogInputError } from './errors.js';
import type { FieldNode } from './expand.js';
import { minorNumber, parseMinor, tryParseMinor } from './minor.js';
import type { Change } from './model.js';
import { gvkKey } from './resources.js';
import { type KindInfo, SpecSnapshot } from './snapshot.js';
import { asSwaggerDoc } from './spec.js';

/**
 * User catalogs: a named series of imported specs (an operator's CRDs, a cluster's /openapi/v2),
 * each labelled with the Kubernetes minor at which it is live. Consecutive imports of one name, in
 * minor order, are diffed; the changes take effect at the later import's minor, so they join the
 * built-in catalog in every query by Kubernetes version. Importing the same name and minor again
 * replaces that import. Only kinds outside upstream Kubernetes groups are kept: built-in kinds are
 * the built-in catalog's job.
 */
export interface ImportOptions {
  /** Kubernetes minor at which this spec is live; default: the document's info.version (live clusters). */
  version?: string;
  /** Names the document in error messages (a file path). */
  where?: string;
}

export interface ImportResult {
  name: string;
  minor: string;
  kinds: number;
  fields: number;
}

interface StoredKind extends KindInfo {
  paths: string[];
  defaults?: Record<string, unknown>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Validates and reduces a spec to its custom kinds' fields; nothing is stored on bad input. */
export function prepareImport(name: string, specDoc: unknown, opts: ImportOptions = {}) {
  const where = opts.where ?? 'spec';
  if (!NAME.test(name)) {
    throw new CatalogInputError(
      `bad catalog name '${name}': use letters, digits, '.', '_' or '-' (at most 100)`,
    );
  }
  const doc = asSwaggerDoc(specDoc, where);
  const minor = opts.version !== undefined ? parseMinor(opts.version) : tryParseMinor(doc.info?.version);
  if (!minor) {
    throw new CatalogInputError(
      `${where}: cannot tell at which Kubernetes version this spec is live (info.version is '${doc.info?.version ?? ''}'); give the version (1.16 to 1.36)`,
    );
  }
  const builtin = builtinGroups();
  const snap = new SpecSnapshot(doc, { kindFilter: (k) => !builtin.has(k.group) });
  if (snap.kinds.size === 0) {
    throw new CatalogInputError(
      `${where}: no custom resource kinds with resource paths (only upstream Kubernetes groups, which the built-in catalog covers)`,
    );
  }
  const kinds: StoredKind[] = [];
  let fields = 0;
  for (const [key, info] of snap.kinds) {
    const f = snap.fields(key);
    const defaults: Record<string, unknown> = {};
    for (const n of f.values()) if (n.defaultJson !== undefined) defaults[n.path] = JSON.parse(n.defaultJson);
    kinds.push({ ...info, paths: [...f.keys()], ...(Object.keys(defaults).length ? { defaults } : {}) });
    fields += f.size;
  }
  return { name, minor, infoVersion: doc.info?.version ?? '', kinds, fields };
}

/** Stores one import (see the module comment). Throws CatalogInputError before writing on bad input. */
export async function importSpec(
  store: Store,
  name: string,
  specDoc: unknown,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const p = prepareImport(name, specDoc, opts);
  await insertRows(store, 'catalog_imports', [
    {
      name: p.name,
      minor: p.minor,
      minor_num: minorNumber(p.minor),
      info_version: p.infoVersion,
      imported_at: new Date().toISOString(),
      kinds: p.kinds.length,
      snapshot: JSON.stringify({ kinds: p.kinds }),
    },
  ]);
  return { name: p.name, minor: p.minor, kinds: p.kinds.length, fields: p.fields };
}

type ImportRow = RowOf<typeof catalogImports>;

/** The imports in the store, per name in minor order (the latest import of a name and minor wins). */
export async function listImports(
  store: Store,
): Promise<Array<{ name: string; minor: string; infoVersion: string; kinds: number }>> {
  return (await readImports(store)).map((r) => ({
    name: r.name,
    minor: r.minor,
    infoVersion: r.info_version,
    kinds: (JSON.parse(r.snapshot) as { kinds: unknown[] }).kinds.length,
  }));
}

/** Changes between consecutive imports of each name; they take effect at the later import's minor. */
export async function userChanges(store: Store): Promise<Change[]> {
  const rows = await readImports(store);
  const out: Change[] = [];
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    if (a.name !== b.name) continue;
    const label = (r: ImportRow) =>
      r.info_version && r.info_version !== 'unversioned' ? `${r.minor} (${r.info_version})` : r.minor;
    out.push(
      ...diffSnapshots(
        stored(a),
        stored(b),
        b.minor,
        `user catalog ${b.name}: import ${label(a)} -> ${label(b)}`,
      ),
    );
  }
  return sortChanges(out);
}

function readImports(store: Store): Promise<ImportRow[]> {
  return catalogImports.run(store, {});
}

function stored(row: ImportRow): Diffable {
  const kinds = new Map<string, KindInfo>();
  const fields = new Map<string, Map<string, FieldNode>>();
  for (const k of (JSON.parse(row.snapshot) as { kinds: StoredKind[] }).kinds) {
    const key = gvkKey(k);
    kinds.set(key, {
      group: k.group,
      version: k.version,
      kind: k.kind,
      resource: k.resource,
      definition: k.definition,
    });
    const f = new Map<string, FieldNode>();
    for (const path of k.paths) {
      const d = k.defaults?.[path];
      f.set(path, d === undefined ? { path } : { path, defaultJson: JSON.stringify(d) });
    }
    fields.set(key, f);
  }
  return { kinds, fields: (key) => fields.get(key) ?? new Map() };
}
