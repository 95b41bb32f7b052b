import type { Change } from './types.js';

/** Small hand-made catalog for tests (facts from docs/k8s: removals, fields, storage moves). */
export function change(
  kind: Change['change'],
  group: string,
  version: string,
  resource: string,
  since: string,
  path?: string,
): Change {
  return {
    change: kind,
    group,
    version,
    kind: resource,
    resource,
    since,
    source: 'test',
    ...(path ? { path } : {}),
  };
}

export const TEST_CATALOG: Change[] = [
  change('gvk-removed', 'batch', 'v1beta1', 'cronjobs', '1.25'),
  change('gvk-deprecated', 'batch', 'v1beta1', 'cronjobs', '1.21'),
  change('gvk-removed', 'extensions', 'v1beta1', 'ingresses', '1.22'),
  change('gvk-deprecated', 'flowcontrol.apiserver.k8s.io', 'v1beta3', 'flowschemas', '1.29'),
  change('field-added', 'apps', 'v1', 'statefulsets', '1.23', 'spec.persistentVolumeClaimRetentionPolicy'),
  change('field-added', 'apps', 'v1', 'deployments', '1.23', 'spec.template.spec.os'),
  change('field-added', 'batch', 'v1', 'jobs', '1.21', 'spec.suspend'),
  change('default-changed', 'apps', 'v1', 'deployments', '1.24', 'spec.template.spec.x'),
  change('field-added', '', 'v1', 'pods', '1.16', 'spec.containers[].startupProbe'),
  change('storage-version-changed', 'storage.k8s.io', 'v1', 'csistoragecapacities', '1.25'),
  change('gvk-added', 'batch', 'v1', 'cronjobs', '1.21'),
];

/** A ResponseComplete audit_events row (columns of migration 0001) for tests. */
export interface EventSpec {
  id: string;
  ts: string | Date;
  client: string;
  clientVersion?: string;
  kube: number;
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  user?: string;
  namespace?: string;
  name?: string;
  cluster?: string;
  userAgent?: string;
  status?: number;
}

export function auditRow(e: EventSpec): Record<string, unknown> {
  const clientVersion = e.clientVersion ?? (e.kube ? `v1.${e.kube}.0` : 'v0.0.0');
  return {
    audit_id: e.id,
    ts: typeof e.ts === 'string' ? e.ts : e.ts.toISOString(),
    stage: 'ResponseComplete',
    stage_rank: 2,
    level: 'Metadata',
    cluster: e.cluster ?? 'prod',
    verb: e.verb,
    api_group: e.group,
    api_version: e.version,
    resource: e.resource,
    subresource: e.subresource ?? '',
    namespace: e.namespace ?? 'default',
    name: e.name ?? `obj-${e.id}`,
    username: e.user ?? `system:serviceaccount:default:${e.client}`,
    user_agent: e.userAgent ?? `${e.client}/${clientVersion} (linux/amd64) kubernetes/abcdef0`,
    client_name: e.client,
    client_version: clientVersion,
    client_kube_minor: e.kube,
    status_code: e.status ?? 200,
  };
}

/** n events of one kind, ids `${prefix}-0..n-1`, spread over objects obj-0..objects-1. */
export function events(
  prefix: string,
  n: number,
  spec: Omit<EventSpec, 'id'>,
  objects = n,
): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    auditRow({ ...spec, id: `${prefix}-${i}`, name: spec.name ?? `obj-${i % objects}` }),
  );
}
