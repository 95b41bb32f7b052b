import {
  type AuditEvent,
  GUARD_FIELDS_KEY,
  GUARD_VERDICT_KEY,
  receivedAt,
  STAGE_RANK,
} from '@radar/audit-events';
import type { ClientIdentity } from '@radar/client-identity';
import { guardFieldsOf, guardVerdictOf } from './guard.js';
import { type AuditRow, type RequestPaths, writeClassOf } from './row.js';
import { parseRequestUri } from './uri.js';

export interface TaggerConfig {
  /** Cluster name stored on every row (configurable per source). */
  cluster: string;
  /** Where the rows came from: 'kafka:<topic>', 'file:<name>', 'webhook'. */
  source: string;
  /** The apiserver that served these events, when the source names it (the webhook's ?apiserver=). */
  apiserver?: ApiserverIdentity | undefined;
}

/** An apiserver's identity and version as a source names them (`cp-1`, `v1.28.3`). */
export interface ApiserverIdentity {
  name: string;
  version: string;
}

export interface TaggerDeps {
  /** Cached user-agent parser (user agents repeat massively). */
  parseUserAgent(ua: string | undefined): ClientIdentity;
}

export interface Position {
  partition: number;
  offset: number;
}

const NO_POSITION: Position = { partition: 0, offset: 0 };
const MAX_URI = 2048;

/**
 * Turns a validated event into a row: who (client), what (verb), on what (group/version/resource),
 * and, for writes, which fields (`paths`, taken from the body by the pipeline; the body itself is
 * never read here).
 */
export function tagEvent(
  ev: AuditEvent,
  cfg: TaggerConfig,
  deps: TaggerDeps,
  pos = NO_POSITION,
  paths?: RequestPaths,
): AuditRow {
  const ref = ev.objectRef;
  const uri = ev.requestURI;
  // objectRef.apiVersion is the version in the URL the client called; the URL is the fallback.
  const fromUri = !ref?.apiVersion || !ref.resource ? parseRequestUri(uri) : undefined;
  const resource = ref?.resource ?? fromUri?.resource ?? '';
  const id = deps.parseUserAgent(ev.userAgent);
  const ann = ev.annotations;
  return {
    audit_id: ev.auditID,
    ts: receivedAt(ev)!, // validated: a storable time, canonical
    stage: ev.stage,
    stage_rank: STAGE_RANK[ev.stage] ?? 0,
    level: ev.level ?? '',
    cluster: cfg.cluster,
    verb: ev.verb,
    write_class: writeClassOf(ev.verb, resource !== ''),
    api_group: ref?.apiGroup ?? fromUri?.apiGroup ?? '',
    api_version: ref?.apiVersion || fromUri?.apiVersion || '',
    resource,
    subresource: ref?.subresource ?? fromUri?.subresource ?? '',
    namespace: ref?.namespace ?? fromUri?.namespace ?? '',
    name: ref?.name ?? fromUri?.name ?? '',
    request_uri: uri.length > MAX_URI ? uri.slice(0, MAX_URI) : uri,
    username: ev.user.username ?? '',
    user_groups: ev.user.groups ?? [],
    impersonated_user: ev.impersonatedUser?.username ?? '',
    source_ip: ev.sourceIPs?.[0] ?? '',
    user_agent: ev.userAgent ?? '',
    client_name: id.name,
    client_version: id.version ?? '',
    client_version_reason: id.versionReason,
    client_kube_version: id.kubeVersion ?? '',
    client_kube_minor: id.kubeMinor,
    client_family: id.family,
    client_platform: id.platform,
    client_commit: id.commit,
    client_suffix: id.suffix,
    status_code: ev.responseStatus?.code ?? 0,
    deprecated: ann?.['k8s.io/deprecated'] === 'true' ? 1 : 0,
    removed_release: ann?.['k8s.io/removed-release'] ?? '',
    source: cfg.source,
    kafka_partition: pos.partition,
    kafka_offset: pos.offset,
    request_paths: paths?.paths ?? [],
    request_paths_status: paths?.status ?? '',
    apiserver: cfg.apiserver?.name ?? '',
    apiserver_version: cfg.apiserver?.version ?? '',
    guard_verdict: guardVerdictOf(ann?.[GUARD_VERDICT_KEY]),
    guard_fields: guardFieldsOf(ann?.[GUARD_FIELDS_KEY]),
  };
}
