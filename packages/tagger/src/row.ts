/** One row of `audit_events` (packages/store/migrations/0001_audit_events.sql), as inserted. */
export interface AuditRow {
  audit_id: string;
  ts: string;
  stage: string;
  stage_rank: number;
  level: string;
  cluster: string;
  verb: string;
  write_class: WriteClass;
  api_group: string;
  api_version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  request_uri: string;
  username: string;
  user_groups: string[];
  impersonated_user: string;
  source_ip: string;
  user_agent: string;
  client_name: string;
  client_version: string;
  client_version_reason: string;
  client_kube_version: string;
  client_kube_minor: number;
  client_family: string;
  client_platform: string;
  client_commit: string;
  client_suffix: string;
  status_code: number;
  deprecated: number;
  removed_release: string;
  source: string;
  kafka_partition: number;
  kafka_offset: number;
  /** Paths of the fields a write carried, never values (@radar/field-paths; migration 0040). */
  request_paths: string[];
  /** How complete request_paths is; '' when the request had no body to read. */
  request_paths_status: string;
  /** The apiserver that served the request and its version, as the source names them (migration 0050); '' if not. */
  apiserver: string;
  apiserver_version: string;
  /** The admission guard's verdict and the fields it judged, from its audit annotations (migration 0051); '' if none. */
  guard_verdict: string;
  guard_fields: string;
}

/** A write's body reduced to its paths (structurally @radar/field-paths' PathSet). */
export interface RequestPaths {
  paths: string[];
  status: string;
}

/** Every column the tagger fills, in table order: inserts send rows as arrays in this order. */
export const AUDIT_COLUMNS = [
  'audit_id',
  'ts',
  'stage',
  'stage_rank',
  'level',
  'cluster',
  'verb',
  'write_class',
  'api_group',
  'api_version',
  'resource',
  'subresource',
  'namespace',
  'name',
  'request_uri',
  'username',
  'user_groups',
  'impersonated_user',
  'source_ip',
  'user_agent',
  'client_name',
  'client_version',
  'client_version_reason',
  'client_kube_version',
  'client_kube_minor',
  'client_family',
  'client_platform',
  'client_commit',
  'client_suffix',
  'status_code',
  'deprecated',
  'removed_release',
  'source',
  'kafka_partition',
  'kafka_offset',
  'request_paths',
  'request_paths_status',
  'apiserver',
  'apiserver_version',
  'guard_verdict',
  'guard_fields',
] as const satisfies readonly (keyof AuditRow)[];

/**
 * The row's values in AUDIT_COLUMNS order, spelled out: ingest serialises every row through
 * this, and reading 37 properties by name from a list was a megamorphic lookup each (measured:
 * the largest share of row encoding). A test keeps it in step with AUDIT_COLUMNS.
 */
export function rowCells(r: AuditRow): unknown[] {
  return [
    r.audit_id,
    r.ts,
    r.stage,
    r.stage_rank,
    r.level,
    r.cluster,
    r.verb,
    r.write_class,
    r.api_group,
    r.api_version,
    r.resource,
    r.subresource,
    r.namespace,
    r.name,
    r.request_uri,
    r.username,
    r.user_groups,
    r.impersonated_user,
    r.source_ip,
    r.user_agent,
    r.client_name,
    r.client_version,
    r.client_version_reason,
    r.client_kube_version,
    r.client_kube_minor,
    r.client_family,
    r.client_platform,
    r.client_commit,
    r.client_suffix,
    r.status_code,
    r.deprecated,
    r.removed_release,
    r.source,
    r.kafka_partition,
    r.kafka_offset,
    r.request_paths,
    r.request_paths_status,
    r.apiserver,
    r.apiserver_version,
    r.guard_verdict,
    r.guard_fields,
  ];
}

/** write: changes objects (the risky class); read: get/list/watch; other: connect, proxy, non-resource. */
export type WriteClass = 'write' | 'read' | 'other';

const WRITE = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const READ = new Set(['get', 'list', 'watch']);

export function writeClassOf(verb: string, isResource: boolean): WriteClass {
  if (!isResource) return 'other';
  return WRITE.has(verb) ? 'write' : READ.has(verb) ? 'read' : 'other';
}
