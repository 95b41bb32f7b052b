import { CatalogInputError } from './errors.js';
import type { FieldNode } from './expand.js';
import { parentPath } from './expand.js';
import { parseMinor, tryParseMinor } from './minor.js';
import type { Change } from './model.js';
import { type KindInfo, type SnapshotOptions, SpecSnapshot } from './snapshot.js';
import { asSwaggerDoc } from './spec.js';

export interface DiffOptions {
  /** Minor the changes take effect in; default: the second document's info.version. */
  since?: string;
  /** Record source; default 'openapi diff <a>-><b>'. */
  source?: string;
  /**
   * The second document may lack kinds that still exist (a live dump without alpha or
   * off-by-default groups): do not report kinds missing from it as removed.
   */
  partialTarget?: boolean;
  /** Report field changes only for kinds this accepts (gvk-level records are always reported). */
  fieldFilter?: (k: KindInfo) => boolean;
}

/** What a diff reads of a document: its kinds and each kind's fields (a SpecSnapshot, or a stored import). */
export interface Diffable {
  readonly kinds: ReadonlyMap<string, KindInfo>;
  fields(key: string): ReadonlyMap<string, FieldNode>;
}

/**
 * Changes from snapshot a to snapshot b: kinds added/removed, and for kinds in both the fields
 * added/removed (only the topmost one of a new subtree: a new `ephemeralContainers` is one record,
 * not one per nested field) and `default` values that differ.
 */
export function diffSnapshots(
  a: Diffable,
  b: Diffable,
  since: string,
  source: string,
  opts: DiffOptions = {},
): Change[] {
  const out: Change[] = [];
  const gvk = (k: KindInfo) => ({ group: k.group, version: k.version, kind: k.kind, resource: k.resource });
  for (const [key, kb] of b.kinds) {
    const ka = a.kinds.get(key);
    if (!ka) {
      out.push({ change: 'gvk-added', ...gvk(kb), since, source });
      continue;
    }
    if (opts.fieldFilter && !opts.fieldFilter(kb)) continue;
    const fa = a.fields(key);
    const fb = b.fields(key);
    for (const [path, nb] of fb) {
      const na = fa.get(path);
      if (!na) {
        const parent = parentPath(path);
        if (parent === '' || fa.has(parent))
          out.push({ change: 'field-added', ...gvk(kb), path, since, source });
      } else if (na.defaultJson !== nb.defaultJson) {
        const details: Change['details'] = {};
        if (na.defaultJson !== undefined) details.oldDefault = JSON.parse(na.defaultJson);
        if (nb.defaultJson !== undefined) details.newDefault = JSON.parse(nb.defaultJson);
        out.push({ change: 'default-changed', ...gvk(kb), path, since, details, source });
      }
    }
    for (const path of fa.keys()) {
      if (fb.has(path)) continue;
      const parent = parentPath(path);
      if (parent === '' || fb.has(parent))
        out.push({ change: 'field-removed', ...gvk(ka), path, since, source });
    }
  }
  if (!opts.partialTarget) {
    for (const [key, ka] of a.kinds) {
      if (!b.kinds.has(key)) out.push({ change: 'gvk-removed', ...gvk(ka), since, source });
    }
  }
  return sortChanges(out);
}

/** Stable order: by minor, then change type, group, version, kind, path. */
export function sortChanges(changes: Change[]): Change[] {
  const minor = (s: string) => Number(s.split('.')[1]);
  return changes.sort(
    (x, y) =>
      minor(x.since) - minor(y.since) ||
      cmp(x.change, y.change) ||
      cmp(x.group, y.group) ||
      cmp(x.version, y.version) ||
      cmp(x.kind, y.kind) ||
      cmp(x.path ?? '', y.path ?? ''),
  );
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** A document's label for sources: 'v1.18' from info.version when it names a release. */
function docLabel(version: string | undefined, fallback: string): string {
  const minor = tryParseMinor(version);
  return minor ? `v${minor}` : fallback;
}

/**
 * Diffs two Swagger documents (parsed JSON). `since` defaults to the minor in b's info.version,
 * which a live cluster's /openapi/v2 carries; kubernetes/api's swagger.json says 'unversioned',
 * so pass it then.
 */
export function diffSpecs(a: unknown, b: unknown, opts: DiffOptions & SnapshotOptions = {}): Change[] {
  const da = asSwaggerDoc(a, 'first spec');
  const db = asSwaggerDoc(b, 'second spec');
  const since = opts.since !== undefined ? parseMinor(opts.since) : tryParseMinor(db.info?.version);
  if (!since) {
    throw new CatalogInputError(
      `second spec: cannot tell its Kubernetes version (info.version is '${db.info?.version ?? ''}'); pass since`,
    );
  }
  const source =
    opts.source ??
    `openapi diff ${docLabel(da.info?.version, 'a')}->${docLabel(db.info?.version, `v${since}`)}`;
  return diffSnapshots(new SpecSnapshot(da, opts), new SpecSnapshot(db, opts), since, source, opts);
}
