import { describe, expect, it } from 'vitest';
import { builtinChanges, builtinGroups } from './catalog-file.js';
import { minorNumber } from './minor.js';
import { type Change, changeKey, changeSchema } from './model.js';
import { changesBetween, changesFor } from './query.js';

// The shipped catalog, checked against the Kubernetes fact sheet (../shared/k8s-facts.md) and the specs.
const all = builtinChanges();
const find = (q: Partial<Change>) =>
  all.filter((c) => Object.entries(q).every(([k, v]) => (c as Record<string, unknown>)[k] === v));
const one = (q: Partial<Change>) => {
  const hits = find(q);
  expect(hits, JSON.stringify(q)).toHaveLength(1);
  return hits[0]!;
};

describe('the built-in catalog', () => {
  it('is valid, sorted, without duplicates, and every record names its source', () => {
    for (const c of all) expect(changeSchema.safeParse(c).success).toBe(true);
    expect(all.every((c) => c.source.length > 0)).toBe(true);
    // Evidence first: the OpenAPI documents, kubernetes/api's fixtures and lifecycle tags, or a curated fact.
    expect(all.filter((c) => !/^(openapi |kube-api (fixtures|lifecycle) |curated: )/.test(c.source))).toEqual(
      [],
    );
    const keys = all.map((c) => `${changeKey(c)}|${c.since}`);
    expect(new Set(keys).size).toBe(keys.length);
    const minors = all.map((c) => minorNumber(c.since));
    expect(minors).toEqual([...minors].sort((a, b) => a - b));
  });

  it('covers every minor from 1.17 to 1.36 with changes', () => {
    for (let n = 17; n <= 36; n++) expect(find({ since: `1.${n}` }).length, `1.${n}`).toBeGreaterThan(0);
  });

  it('has no field records for alpha versions (they would flood it)', () => {
    const alphaFields = all.filter((c) => c.path !== undefined && /alpha/.test(c.version));
    expect(alphaFields).toEqual([]);
    expect(
      find({ change: 'gvk-added', group: 'resource.k8s.io', version: 'v1alpha3', kind: 'DeviceClass' }),
    ).toHaveLength(1);
  });

  it('1.16 -> 1.18: Ingress pathType (with what an old client gets) and ingressClassName in both groups', () => {
    const win = changesBetween(all, '1.16', '1.18');
    for (const group of ['extensions', 'networking.k8s.io']) {
      const pt = win.find(
        (c) =>
          c.group === group && c.path === 'spec.rules[].http.paths[].pathType' && c.change === 'field-added',
      );
      expect(pt).toMatchObject({ version: 'v1beta1', kind: 'Ingress', resource: 'ingresses', since: '1.18' });
      expect(pt?.details?.ifOmitted).toBe('ImplementationSpecific');
      expect(pt?.source).toContain('openapi diff v1.17->v1.18');
      expect(win.some((c) => c.group === group && c.path === 'spec.ingressClassName')).toBe(true);
    }
  });

  it('1.21 -> 1.25: the 1.25 removals, with replacements', () => {
    const removed = changesBetween(all, '1.21', '1.25').filter(
      (c) => c.change === 'gvk-removed' && c.since === '1.25',
    );
    const got = removed.map((c) => `${c.group}/${c.version}/${c.kind}`).sort();
    expect(got).toEqual([
      'autoscaling/v2beta1/HorizontalPodAutoscaler',
      'batch/v1beta1/CronJob',
      'discovery.k8s.io/v1beta1/EndpointSlice',
      'events.k8s.io/v1beta1/Event',
      'node.k8s.io/v1beta1/RuntimeClass',
      'policy/v1beta1/PodDisruptionBudget',
      'policy/v1beta1/PodSecurityPolicy',
    ]);
    expect(removed.find((c) => c.kind === 'CronJob')?.details?.replacement).toEqual({
      group: 'batch',
      version: 'v1',
      servedSince: '1.21',
    });
    expect(removed.find((c) => c.kind === 'CronJob')?.resource).toBe('cronjobs');
    expect(removed.find((c) => c.kind === 'PodSecurityPolicy')?.details).toBeUndefined();
  });

  it.each([
    ['1.16', 'extensions', 'v1beta1', 'Deployment', 'apps'],
    ['1.16', 'apps', 'v1beta2', 'StatefulSet', 'apps'],
    ['1.22', 'apiextensions.k8s.io', 'v1beta1', 'CustomResourceDefinition', 'apiextensions.k8s.io'],
    ['1.22', 'rbac.authorization.k8s.io', 'v1beta1', 'ClusterRoleBinding', 'rbac.authorization.k8s.io'],
    ['1.22', 'storage.k8s.io', 'v1beta1', 'CSINode', 'storage.k8s.io'],
    ['1.26', 'autoscaling', 'v2beta2', 'HorizontalPodAutoscaler', 'autoscaling'],
    ['1.26', 'flowcontrol.apiserver.k8s.io', 'v1beta1', 'FlowSchema', 'flowcontrol.apiserver.k8s.io'],
    ['1.27', 'storage.k8s.io', 'v1beta1', 'CSIStorageCapacity', 'storage.k8s.io'],
    [
      '1.29',
      'flowcontrol.apiserver.k8s.io',
      'v1beta2',
      'PriorityLevelConfiguration',
      'flowcontrol.apiserver.k8s.io',
    ],
    ['1.32', 'flowcontrol.apiserver.k8s.io', 'v1beta3', 'FlowSchema', 'flowcontrol.apiserver.k8s.io'],
    [
      '1.34',
      'admissionregistration.k8s.io',
      'v1beta1',
      'ValidatingAdmissionPolicy',
      'admissionregistration.k8s.io',
    ],
  ])('removal in %s of %s/%s %s (replacement in %s)', (since, group, version, kind, repGroup) => {
    const r = one({ change: 'gvk-removed', group, version, kind });
    expect(r.since).toBe(since);
    expect(r.details?.replacement?.group).toBe(repGroup);
    expect(r.source).toContain('curated: k8s-facts §1');
  });

  it('records deprecations from pluto with their minor', () => {
    expect(one({ change: 'gvk-deprecated', group: 'batch', version: 'v1beta1', kind: 'CronJob' }).since).toBe(
      '1.21',
    );
    expect(
      one({ change: 'gvk-deprecated', group: 'networking.k8s.io', version: 'v1beta1', kind: 'Ingress' })
        .since,
    ).toBe('1.19');
    expect(
      one({ change: 'gvk-deprecated', group: 'extensions', version: 'v1beta1', kind: 'Ingress' }).since,
    ).toBe('1.14');
  });

  it.each([
    ['1.16', '', 'Pod', 'spec.containers[].startupProbe'],
    ['1.16', 'apps', 'Deployment', 'spec.template.spec.ephemeralContainers'],
    ['1.18', '', 'Secret', 'immutable'],
    ['1.19', 'apps', 'StatefulSet', 'spec.template.spec.setHostnameAsFQDN'],
    ['1.19', '', 'Pod', 'spec.volumes[].ephemeral'],
    ['1.20', '', 'Service', 'spec.ipFamilyPolicy'],
    ['1.21', 'batch', 'Job', 'spec.suspend'],
    ['1.21', 'batch', 'CronJob', 'spec.jobTemplate.spec.suspend'],
    ['1.21', 'networking.k8s.io', 'NetworkPolicy', 'spec.egress[].ports[].endPort'],
    ['1.22', 'apps', 'StatefulSet', 'spec.minReadySeconds'],
    ['1.23', 'apps', 'StatefulSet', 'spec.persistentVolumeClaimRetentionPolicy'],
    ['1.23', 'batch', 'CronJob', 'spec.jobTemplate.spec.template.spec.os'],
    ['1.24', 'batch', 'CronJob', 'spec.timeZone'],
    ['1.24', '', 'Pod', 'spec.topologySpreadConstraints[].minDomains'],
    ['1.25', 'batch', 'Job', 'spec.podFailurePolicy'],
    ['1.25', 'apps', 'DaemonSet', 'spec.template.spec.hostUsers'],
    ['1.26', 'policy', 'PodDisruptionBudget', 'spec.unhealthyPodEvictionPolicy'],
    ['1.26', '', 'Pod', 'spec.containers[].resources.claims'],
    ['1.27', 'admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'webhooks[].matchConditions'],
    ['1.28', '', 'Pod', 'spec.initContainers[].restartPolicy'],
    ['1.29', '', 'Pod', 'spec.containers[].lifecycle.preStop.sleep'],
    ['1.30', 'batch', 'Job', 'spec.successPolicy'],
    ['1.30', '', 'Service', 'spec.trafficDistribution'],
    ['1.31', '', 'Pod', 'spec.securityContext.supplementalGroupsPolicy'],
    ['1.31', '', 'Pod', 'spec.volumes[].image'],
    ['1.32', 'apps', 'Deployment', 'spec.template.spec.resources'],
    ['1.33', 'autoscaling', 'HorizontalPodAutoscaler', 'spec.behavior.scaleUp.tolerance'],
    ['1.34', '', 'Pod', 'spec.containers[].env[].valueFrom.fileKeyRef'],
    ['1.36', 'storage.k8s.io', 'CSIDriver', 'spec.preventPodSchedulingIfMissing'],
  ])('field added in %s: %s %s %s', (since, group, kind, path) => {
    const hits = find({ change: 'field-added', group, kind, path });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.since).toBe(since);
  });

  it('keeps what an old client gets when it omits a field, and the feature gate', () => {
    expect(
      one({ change: 'field-added', group: 'batch', version: 'v1', kind: 'Job', path: 'spec.suspend' }).details
        ?.ifOmitted,
    ).toMatch(/^false/);
    expect(
      one({ change: 'field-added', kind: 'Pod', path: 'spec.initContainers[].restartPolicy' }).details
        ?.featureGate,
    ).toBe('SidecarContainers');
  });

  it.each([
    ['1.20', 'spec.ipFamily'],
    ['1.22', 'spec.topologyKeys'],
  ])('field removed in %s: Service %s', (since, path) => {
    expect(one({ change: 'field-removed', kind: 'Service', path }).since).toBe(since);
  });

  it('dates the PodResourceClaim source removal to 1.31 although the early 1.30 document lacks it', () => {
    const r = one({ change: 'field-removed', kind: 'Pod', path: 'spec.resourceClaims[].source' });
    expect(r.since).toBe('1.31');
    expect(r.source).toContain('curated: k8s-facts §2');
  });

  it('holds the curated default changes', () => {
    const d = one({
      change: 'default-changed',
      group: 'extensions',
      kind: 'Deployment',
      path: 'spec.strategy.rollingUpdate.maxSurge',
    });
    expect(d.details).toMatchObject({
      oldDefault: 1,
      newDefault: '25%',
      replacement: { group: 'apps', version: 'v1' },
    });
    const w = find({ change: 'default-changed', group: 'admissionregistration.k8s.io', since: '1.22' });
    expect(w).toHaveLength(6);
    expect(one({ change: 'default-changed', group: 'policy', kind: 'PodDisruptionBudget' }).since).toBe(
      '1.25',
    );
  });

  it.each([
    ['Pod', 'spec.enableServiceLinks'],
    ['Pod', 'spec.terminationGracePeriodSeconds'],
    ['StatefulSet', 'spec.revisionHistoryLimit'],
    ['DaemonSet', 'spec.revisionHistoryLimit'],
    ['CronJob', 'spec.successfulJobsHistoryLimit'],
    ['CronJob', 'spec.failedJobsHistoryLimit'],
    ['Service', 'spec.sessionAffinity'],
  ])('does not report a default change for %s %s (unchanged 1.16 -> 1.36)', (kind, path) => {
    expect(find({ change: 'default-changed', kind, path })).toEqual([]);
  });

  it('holds the storage version moves', () => {
    expect(one({ change: 'storage-version-changed', resource: 'csinodes' })).toMatchObject({
      since: '1.18',
      details: { oldStorageVersion: 'v1beta1', newStorageVersion: 'v1' },
    });
    const fs = find({ change: 'storage-version-changed', resource: 'flowschemas' }).map(
      (c) => `${c.since} ${c.details?.newStorageVersion}`,
    );
    expect(fs).toEqual(['1.27 v1beta3', '1.30 v1']);
  });

  it('answers which changes affect a resource, and since when', () => {
    const ing = changesFor(all, 'networking.k8s.io', 'ingresses');
    expect(ing[0]?.since).toBe('1.18');
    expect(ing.some((c) => c.change === 'gvk-removed' && c.since === '1.22')).toBe(true);
  });

  it('knows the upstream API groups', () => {
    const g = builtinGroups();
    for (const x of ['', 'apps', 'batch', 'networking.k8s.io', 'resource.k8s.io', 'extensions'])
      expect(g.has(x)).toBe(true);
    expect(g.has('cert-manager.io')).toBe(false);
    expect(g.has('monitoring.coreos.com')).toBe(false);
  });
});
