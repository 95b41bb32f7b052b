/** One row of queries/rollback_objects.sql: objects of one kind of risk, per resource and namespace. */
export interface RollbackObjectRow {
  risk: 'new-group-version' | 'storage-version-moved' | 'not-migrated';
  api_group: string;
  api_version: string;
  resource: string;
  namespace: string;
  objects: number;
  names: string[];
  writes: number;
  sample_ids: string[];
}

/** One row of queries/rollback_added_fields.sql. */
export interface AddedFieldRow {
  api_group: string;
  resource: string;
  path: string;
  client_name: string;
  writes: number;
  sample_id: string;
}

export interface RollbackFinding {
  api: string;
  namespace: string;
  objects: number;
  names: string[];
  writes: number;
  sampleAuditIds: string[];
}

export interface RollbackCheck {
  from: string;
  to: string;
  /** Since when writes count: the upgrade moment (detected or given). */
  since: string;
  ready: boolean;
  /** Objects written through group/versions `from` does not serve. */
  newGroupVersions: RollbackFinding[];
  /** Objects written since the upgrade on resources whose storage version moved in (from, to]. */
  storageVersionMoved: RollbackFinding[];
  /** Fields added in (from, to] that writers set since the upgrade: a rollback drops them. */
  addedFieldsSet: { api: string; path: string; client: string; writes: number; sampleAuditId: string }[];
  /** Not a rollback blocker: objects last written before the storage move (migrate before the next upgrade). */
  notMigrated: RollbackFinding[];
}

const finding = (r: RollbackObjectRow, withVersion: boolean): RollbackFinding => ({
  api: `${r.api_group || 'core'}/${withVersion ? `${r.api_version}/` : ''}${r.resource}`,
  namespace: r.namespace,
  objects: Number(r.objects),
  names: [...r.names].sort(),
  writes: Number(r.writes),
  sampleAuditIds: [...r.sample_ids].sort().slice(0, 5),
});

const byApi = (a: RollbackFinding, b: RollbackFinding) =>
  a.api.localeCompare(b.api) || a.namespace.localeCompare(b.namespace);

/** Ready (exit 0) when nothing written since the upgrade depends on `to`; else not ready (exit 3). */
export function rollbackCheck(
  head: { from: string; to: string; since: string },
  objects: readonly RollbackObjectRow[],
  fields: readonly AddedFieldRow[],
): RollbackCheck {
  const of = (risk: RollbackObjectRow['risk'], v: boolean) =>
    objects
      .filter((o) => o.risk === risk)
      .map((o) => finding(o, v))
      .sort(byApi);
  const newGroupVersions = of('new-group-version', true);
  const storageVersionMoved = of('storage-version-moved', false);
  const addedFieldsSet = fields
    .map((f) => ({
      api: `${f.api_group || 'core'}/${f.resource}`,
      path: f.path,
      client: f.client_name,
      writes: Number(f.writes),
      sampleAuditId: f.sample_id,
    }))
    .sort(
      (a, b) =>
        a.api.localeCompare(b.api) || a.path.localeCompare(b.path) || a.client.localeCompare(b.client),
    );
  return {
    ...head,
    ready: newGroupVersions.length === 0 && storageVersionMoved.length === 0 && addedFieldsSet.length === 0,
    newGroupVersions,
    storageVersionMoved,
    addedFieldsSet,
    notMigrated: of('not-migrated', false),
  };
}
