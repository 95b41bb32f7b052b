import { randomUUID } from 'node:crypto';

/**
 * Realistic audit.k8s.io/v1 Metadata-level events (about 1 KB each, like a real apiserver's) for
 * integration tests and benchmarks. Deterministic when given a seed index.
 */
export interface EventSpec {
  auditID?: string;
  verb?: string;
  stage?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  username?: string;
  userAgent?: string;
  code?: number;
  time?: Date;
  requestObject?: unknown;
  level?: string;
}

const AGENTS = [
  'kube-controller-manager/v1.28.7 (linux/amd64) kubernetes/c8dcb00/system:serviceaccount:kube-system:deployment-controller',
  'kubelet/v1.27.3 (linux/amd64) kubernetes/25b4e43',
  'kubectl/v1.24.4 (linux/amd64) kubernetes/95ee5ab',
  'manager/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election',
  'argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format',
  'Helm/3.14.2',
  'OpenAPI-Generator/26.1.0/python',
  'kube-scheduler/v1.28.7 (linux/amd64) kubernetes/c8dcb00/scheduler',
];
const TARGETS = [
  ['apps', 'v1', 'deployments'],
  ['', 'v1', 'pods'],
  ['', 'v1', 'configmaps'],
  ['networking.k8s.io', 'v1', 'ingresses'],
  ['coordination.k8s.io', 'v1', 'leases'],
  ['batch', 'v1', 'cronjobs'],
  ['', 'v1', 'services'],
] as const;
const VERBS = ['get', 'list', 'watch', 'update', 'patch', 'create', 'delete'];

export function auditEvent(spec: EventSpec = {}, i = 0): Record<string, unknown> {
  const [g, v, r] = TARGETS[i % TARGETS.length]!;
  const group = spec.group ?? g;
  const version = spec.version ?? v;
  const resource = spec.resource ?? r;
  const namespace = spec.namespace ?? `team-${i % 13}`;
  const name = spec.name ?? `${resource.slice(0, -1)}-${i % 997}`;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const sub = spec.subresource ? `/${spec.subresource}` : '';
  const t = spec.time ?? new Date(Date.UTC(2026, 10, 20, 8) + i * 7);
  const received = t.toISOString().replace('Z', '123Z');
  const ev: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: spec.level ?? 'Metadata',
    auditID: spec.auditID ?? randomUUID(),
    stage: spec.stage ?? 'ResponseComplete',
    requestURI: `${prefix}/namespaces/${namespace}/${resource}/${name}${sub}?timeout=32s`,
    verb: spec.verb ?? VERBS[i % VERBS.length],
    user: {
      username: spec.username ?? `system:serviceaccount:${namespace}:controller-${i % 5}`,
      uid: '8a2c9e1f-5b7d-4e3a-9f60-1c2d3e4f5a6b',
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/credential-id': ['JTI=7f3d2c1b-0a9e-4d8c-b7a6-5f4e3d2c1b0a'],
        'authentication.kubernetes.io/node-name': [`ip-10-0-${i % 250}-17.ec2.internal`],
        'authentication.kubernetes.io/pod-name': [`controller-${i % 5}-6d5f8c7b9-x2k4p`],
      },
    },
    sourceIPs: [`10.0.${i % 250}.17`],
    userAgent: spec.userAgent ?? AGENTS[i % AGENTS.length],
    objectRef: {
      resource,
      namespace,
      name,
      apiGroup: group,
      apiVersion: version,
      ...(spec.subresource ? { subresource: spec.subresource } : {}),
    },
    responseStatus: { metadata: {}, code: spec.code ?? 200 },
    requestReceivedTimestamp: received,
    stageTimestamp: new Date(t.getTime() + 4).toISOString().replace('Z', '456Z'),
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': `RBAC: allowed by RoleBinding "controller-${i % 5}/${namespace}" of ClusterRole "edit" to ServiceAccount "controller-${i % 5}/${namespace}"`,
    },
  };
  if (spec.requestObject !== undefined) ev.requestObject = spec.requestObject;
  return ev;
}
