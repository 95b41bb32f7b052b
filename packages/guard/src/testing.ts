import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * AdmissionReviews for tests and the benchmark, built from the committed fixture shapes
 * (testdata/kube-api/fixtures: kubernetes/api round-trip fixtures, leaves blanked) with the
 * blanks filled in: the key sets and nesting are upstream's, the values ours.
 */
const FIXTURES = new URL('../../../testdata/kube-api/fixtures/v1.18.json.gz', import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: fixture shapes are filled in by hand, key by key
type Json = Record<string, any>;
let shapes: Record<string, Record<string, unknown>> | undefined;

export function fixtureShape(type: string): Record<string, unknown> {
  shapes ??= JSON.parse(gunzipSync(readFileSync(FIXTURES)).toString('utf8'));
  const s = shapes![type];
  if (!s) throw new Error(`no fixture ${type}`);
  return structuredClone(s);
}

/** A networking.k8s.io/v1beta1 Ingress with one rule and two paths; `pathType` undefined omits it. */
export function ingress(pathType: string | undefined, name = 'shop'): Record<string, unknown> {
  const o = fixtureShape('networking.k8s.io.v1beta1.Ingress');
  o.metadata = { name, namespace: 'shop', uid: 'a1b2', resourceVersion: '42', generation: 3 };
  const spec = o.spec as Record<string, unknown>;
  delete spec.backend;
  delete spec.ingressClassName;
  const rule = (spec.rules as Json[])[0]!;
  rule.host = 'shop.example.com';
  const template = rule.http.paths[0];
  rule.http.paths = ['/', '/api'].map((p) => {
    const item = structuredClone(template);
    item.path = p;
    item.backend = { serviceName: 'shop', servicePort: 80 };
    if (pathType === undefined) delete item.pathType;
    else item.pathType = pathType;
    return item;
  });
  spec.tls = [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }];
  o.status = { loadBalancer: {} };
  return o;
}

/** An apps/v1 Deployment whose pod securityContext has fsGroupChangePolicy (a 1.18 field, default Always). */
export function deployment(fsGroupChangePolicy: string | undefined): Record<string, unknown> {
  const o = fixtureShape('apps.v1.Deployment');
  o.metadata = { name: 'web', namespace: 'shop', uid: 'c3d4', resourceVersion: '7' };
  const spec = o.spec as Json;
  spec.replicas = 2;
  spec.revisionHistoryLimit = 10;
  const pod = spec.template.spec;
  pod.securityContext = { fsGroup: 2000, runAsUser: 1000 };
  if (fsGroupChangePolicy !== undefined) pod.securityContext.fsGroupChangePolicy = fsGroupChangePolicy;
  pod.containers = [{ name: 'web', image: 'nginx:1.25' }];
  delete pod.initContainers;
  delete pod.ephemeralContainers;
  o.status = {};
  return o;
}

export interface ReviewSpec {
  uid?: string;
  username: string;
  groups?: string[];
  operation?: string;
  subResource?: string;
  options?: 'UpdateOptions' | 'PatchOptions';
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespace?: string;
  object: unknown;
  oldObject: unknown;
}

/** An admission.k8s.io/v1 AdmissionReview request, on the fixture's key set. */
export function admissionReview(s: ReviewSpec): Record<string, unknown> {
  const r = fixtureShape('admission.k8s.io.v1.AdmissionReview');
  delete r.response;
  const gvk = { group: s.group, version: s.version, kind: s.kind };
  const gvr = { group: s.group, version: s.version, resource: s.resource };
  r.request = {
    uid: s.uid ?? '705ab4f5-6393-11e8-b7cc-42010a800002',
    kind: gvk,
    resource: gvr,
    ...(s.subResource ? { subResource: s.subResource, requestSubResource: s.subResource } : {}),
    requestKind: gvk,
    requestResource: gvr,
    name: (s.object as { metadata?: { name?: string } }).metadata?.name ?? 'x',
    namespace: s.namespace ?? 'shop',
    operation: s.operation ?? 'UPDATE',
    userInfo: { username: s.username, uid: 'u-1', groups: s.groups ?? ['system:authenticated'] },
    object: s.object,
    oldObject: s.oldObject,
    dryRun: false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: s.options ?? 'UpdateOptions' },
  };
  return r;
}

export const INGRESS = {
  group: 'networking.k8s.io',
  version: 'v1beta1',
  resource: 'ingresses',
  kind: 'Ingress',
} as const;
export const DEPLOYMENT = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
} as const;
