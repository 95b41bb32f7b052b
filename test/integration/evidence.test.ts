import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRadar } from '../support/processes.js';

// A corpus the project has never seen: a canary cluster already on 1.27, where the vertical pod
// autoscaler sets the 1.27 field spec.template.spec.containers[].resizePolicy on Deployments and
// other writers replace whole objects. Audit level Request for updates and patches (the policy in
// infra/k8s/audit-policy.yaml), Metadata for the rest. Ingested with `radar ingest`, then ranked
// for 1.26 -> 1.27, reported and checked for alerts, all through the CLI.

const P = 'spec.template.spec.containers[].resizePolicy';
const INIT_P = 'spec.template.spec.initContainers[].resizePolicy';
const start = Date.now() - 3 * 3_600_000;
let minute = 0;

const AGENTS = {
  vpa: [
    'vpa-updater/v0.0.0 (linux/amd64) kubernetes/$Format',
    'system:serviceaccount:kube-system:vpa-updater',
  ],
  legacy: [
    'legacy-operator/v0.0.0 (linux/amd64) kubernetes/$Format',
    'system:serviceaccount:ops:legacy-operator',
  ],
  kubectl: ['kubectl/v1.24.2 (linux/amd64) kubernetes/f66044f', 'bob@example.com'],
  acme: [
    'acme-controller/v0.0.0 (linux/amd64) kubernetes/$Format',
    'system:serviceaccount:acme:acme-controller',
  ],
  argocd: [
    'argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format',
    'system:serviceaccount:argocd:argocd-application-controller',
  ],
  kcm: [
    'kube-controller-manager/v1.27.4 (linux/amd64) kubernetes/fa3d799/system:serviceaccount:kube-system:deployment-controller',
    'system:serviceaccount:kube-system:deployment-controller',
  ],
} as const;

function event(who: keyof typeof AGENTS, verb: string, name: string, body?: unknown, subresource?: string) {
  const [ua, user] = AGENTS[who];
  const t = new Date(start + minute++ * 60_000);
  const sub = subresource ? `/${subresource}` : '';
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: body === undefined ? 'Metadata' : 'Request',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: `/apis/apps/v1/namespaces/shop/deployments/${name}${sub}${verb === 'get' ? '' : '?fieldManager=x'}`,
    verb,
    user: { username: user, groups: ['system:authenticated'] },
    sourceIPs: ['10.12.0.31'],
    userAgent: ua,
    objectRef: {
      resource: 'deployments',
      namespace: 'shop',
      name,
      apiGroup: 'apps',
      apiVersion: 'v1',
      ...(subresource ? { subresource } : {}),
    },
    responseStatus: { metadata: {}, code: 200 },
    ...(body === undefined ? {} : { requestObject: body }),
    requestReceivedTimestamp: t.toISOString().replace('Z', '123Z'),
    stageTimestamp: new Date(t.getTime() + 7).toISOString().replace('Z', '456Z'),
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
  };
}

/** A Deployment as a typed client of a given vintage serialises it (omitempty: unknown fields vanish). */
function deployment(name: string, opts: { resize?: boolean; seccomp?: boolean } = {}) {
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name, namespace: 'shop', labels: { app: name }, resourceVersion: String(1000 + minute) },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.example.com/shop/${name}:2.4.1`,
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: { requests: { cpu: '250m', memory: '256Mi' } },
              ...(opts.resize
                ? { resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }
                : {}),
              ...(opts.seccomp ? { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } : {}),
            },
          ],
          restartPolicy: 'Always',
        },
      },
    },
  };
}

const vpaPatch = {
  spec: {
    template: {
      spec: {
        containers: [{ name: 'app', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }],
      },
    },
  },
};
const corpus = [
  event('kubectl', 'get', 'cart'),
  event('vpa', 'patch', 'cart', vpaPatch),
  event('vpa', 'patch', 'web', vpaPatch),
  event('legacy', 'update', 'cart', deployment('cart', { seccomp: true })), // drops P on cart
  event('legacy', 'update', 'api', deployment('api', { seccomp: true })), // api never had P
  event('legacy', 'update', 'cart', deployment('cart', { seccomp: true })), // nothing left to drop
  event('kcm', 'update', 'cart', { kind: 'Deployment', status: { replicas: 2 } }, 'status'),
  event('kubectl', 'update', 'web', deployment('web')), // kubectl replace by an old kubectl: drops P on web
  event('acme', 'update', 'search', deployment('search', { resize: true })),
  event('acme', 'update', 'cart', deployment('cart', { resize: true })), // sets P on cart again
  event('legacy', 'update', 'cart', deployment('cart', { seccomp: true })), // drops it again
  event('argocd', 'patch', 'api', [
    {
      op: 'add',
      path: '/spec/template/spec/containers/0/resizePolicy',
      value: [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }],
    },
  ]),
  event('legacy', 'update', 'api', deployment('api', { seccomp: true })), // drops what argocd set
  event('kubectl', 'get', 'api'),
];

const dataDir = mkdtempSync(join(tmpdir(), 'radar-evidence-'));
const env = { RADAR_DATA_DIR: dataDir, RADAR_CLUSTER_NAME: 'canary-eu' };

interface Finding {
  path?: string;
  severity: string;
  set?: number;
  omitted?: number;
  dropped?: number;
  droppedObjects?: string[];
}
interface Client {
  client: string;
  severity: string;
  kubeVersion: string | null;
  inferredVersion?: { min: string; basis: string[] } | null;
  findings: Finding[];
}

let clients: Client[] = [];
const byName = (n: string) => clients.find((c) => c.client === n);

beforeAll(async () => {
  const file = join(dataDir, 'canary-audit.log');
  writeFileSync(file, `${corpus.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const ingest = await runRadar(['ingest', '--file', file], env);
  expect(ingest.code, ingest.stderr).toBe(0);
  expect(JSON.parse(ingest.stdout)).toMatchObject({
    eventsRead: corpus.length,
    requestsStored: corpus.length,
  });
  const ranked = await runRadar(
    ['rank', '--current', '1.26', '--target', '1.27', '--since', '1d', '--format', 'json'],
    env,
  );
  expect(ranked.code, ranked.stderr).toBe(0);
  clients = (JSON.parse(ranked.stdout) as { clients: Client[] }).clients;
});

describe('field-level evidence on an unseen corpus', () => {
  it('counts updates that omit the target version field, and finds the drops where it had been set', () => {
    const legacy = byName('legacy-operator');
    expect(legacy?.kubeVersion).toBeNull();
    expect(legacy?.findings.find((f) => f.path === P)).toMatchObject({
      set: 0,
      omitted: 5,
      dropped: 3,
      droppedObjects: ['shop/api', 'shop/cart'],
      // a version guess turned into observed loss
      severity: 'high',
    });
    // no init containers in its Deployments: omitted, never set, so nothing to drop
    expect(legacy?.findings.find((f) => f.path === INIT_P)).toMatchObject({
      omitted: 5,
      dropped: 0,
      severity: 'needs-verification',
    });
    expect(byName('kubectl')?.findings.find((f) => f.path === P)).toMatchObject({
      set: 0,
      omitted: 1,
      dropped: 1,
      droppedObjects: ['shop/web'],
      severity: 'high',
    });
  });

  it('infers a lower bound for v0.0.0 clients: proven new enough is not reported, proven old stays', () => {
    expect(byName('acme-controller')).toBeUndefined();
    expect(byName('legacy-operator')?.inferredVersion).toEqual({
      min: '1.19',
      basis: ['apps/deployments:spec.template.spec.containers[].securityContext.seccompProfile'],
    });
    expect(byName('legacy-operator')?.severity).toBe('high');
    // patches and status updates replace nothing: not reported
    expect(clients.map((c) => c.client).sort()).toEqual(['kubectl', 'legacy-operator']);
  });

  it('shows the evidence in the weekly report', async () => {
    const out = join(dataDir, 'report');
    const res = await runRadar(
      ['report', '--current', '1.26', '--target', '1.27', '--since', '1d', '--out', out],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('Evidence from bodies');
    expect(md).toContain('set 0 · omitted 5 · dropped 3 (shop/api, shop/cart)');
    expect(md).toContain('unknown (sends fields of 1.19+)');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('dropped 1 (shop/web)');
  });

  it('raises a critical alert for every client seen wiping a field on the upgraded cluster', async () => {
    const res = await runRadar(
      ['alerts', 'check', '--cluster-version', '1.27', '--since', '24h', '--dry-run', '--format', 'json'],
      // rows stored a moment ago are normally left to the next check (inserts may still land)
      { ...env, ALERT_INGEST_GRACE_MS: '0' },
    );
    expect(res.code, res.stderr).toBe(0);
    const alerts = (
      JSON.parse(res.stdout) as {
        alerts: {
          client: { name: string };
          severity: string;
          evidence?: unknown;
          changes: { path?: string }[];
        }[];
      }
    ).alerts;
    const drops = alerts.filter((a) => a.evidence);
    expect(drops.map((a) => [a.client.name, a.severity]).sort()).toEqual([
      ['acme-controller', 'critical'],
      ['kubectl', 'critical'],
      ['legacy-operator', 'critical'],
    ]);
    // after the upgrade every field up to 1.27 counts: acme-controller knows resizePolicy, but its
    // update of cart wiped the seccompProfile legacy-operator had set
    expect(drops.find((a) => a.client.name === 'acme-controller')?.evidence).toEqual({
      dropped: [{ path: 'spec.template.spec.containers[].securityContext.seccompProfile', updates: 1 }],
      objects: ['shop/cart'],
    });
    expect(drops.find((a) => a.client.name === 'legacy-operator')?.evidence).toEqual({
      dropped: [{ path: P, updates: 3 }],
      objects: ['shop/api', 'shop/cart'],
    });
    // drops come first: observed loss outranks the version-based alerts
    expect(alerts[0]?.evidence).toBeDefined();
  });
});
