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
