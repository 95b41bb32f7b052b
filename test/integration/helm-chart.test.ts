import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART_DIR, helmTemplate, type K8sObject } from '../support/helm.js';
import {
  type Definitions,
  deriveSubsetFile,
  K8S_VERSIONS,
  MONITORING_PATH,
  SUBSET_PATH,
  type SubsetFile,
} from '../support/k8s-schemas.js';
import { validateObject } from '../support/openapi-validate.js';
import { REPO_ROOT } from '../support/repo.js';

const PRODUCTION = join(REPO_ROOT, 'deploy/helm/examples/production.yaml');
const SPEC_DIR = resolve(REPO_ROOT, '../shared/data/openapi');
const subset: SubsetFile = JSON.parse(readFileSync(SUBSET_PATH, 'utf8'));
const monitoring: Definitions = JSON.parse(readFileSync(MONITORING_PATH, 'utf8')).definitions;
const definitionsFor = (v: string): Definitions => ({ ...subset.versions[v], ...monitoring });

// Every variable the services read (the one zod schema), to catch a misspelt env name in the chart.
const envNames = new Set(
  [
    ...readFileSync(join(REPO_ROOT, 'packages/config/src/env.ts'), 'utf8').matchAll(
      /^ {4}([A-Z][A-Z0-9_]+):/gm,
    ),
  ].map((m) => m[1]),
);

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is walked by path here; validateObject checks its types
type Manifest = any;

const kinds = (objs: K8sObject[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`).sort();
const byName = (objs: K8sObject[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not rendered; got ${kinds(objs).join(', ')}`);
  return o as Manifest;
};
const containers = (d: Manifest) => d.spec.template.spec.containers as Manifest[];

let defaults: K8sObject[];
let production: K8sObject[];
beforeAll(async () => {
  [defaults, production] = (await Promise.all([helmTemplate(), helmTemplate({ values: [PRODUCTION] })])).map(
    (r) => r.objects,
  ) as [K8sObject[], K8sObject[]];
}, 120_000);

describe('the derived Kubernetes schemas (deploy/helm/schemas)', () => {
  it('are intact: the recorded hash matches the committed definitions', () => {
    const sha = createHash('sha256').update(JSON.stringify(subset.versions)).digest('hex');
    expect(sha).toBe(subset.provenance.versionsSha256);
    expect(Object.keys(subset.versions)).toEqual([...K8S_VERSIONS]);
    expect(JSON.stringify(subset)).not.toContain('"description"');
  });

  it('are what the reference OpenAPI documents give, when they sit beside the repository', () => {
    // A clone without ../shared relies on the hash check above; CI has the documents.
    if (!existsSync(SPEC_DIR)) {
      expect(subset.provenance.from['1.28']?.sha256).toMatch(/^[0-9a-f]{64}$/);
      return;
    }
    expect(
      isDeepStrictEqual(deriveSubsetFile(SPEC_DIR), subset),
      'run: pnpm exec tsx test/support/derive-k8s-schemas.ts --specs ../shared/data/openapi && pnpm format',
    ).toBe(true);
  }, 60_000);
});

describe('the validator', () => {
  it('refuses unknown fields, wrong types and missing required fields', () => {
    const d = structuredClone(byName(defaults, 'Deployment', 'r1-upgrade-radar-worker'));
    d.spec.replicas = '2';
    d.spec.template.spec.containers[0].imagePullPolicy = 3;
    d.spec.template.spec.containers[0].livenessProbe.httpGet.portt = 8080;
    d.spec.selector.matchLabelz = {};
    delete d.spec.template.spec.containers[1 - 1].name;
    const errors = validateObject(d, definitionsFor('1.36'), 'worker');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/spec\.replicas: expected an integer, got "2"/),
        expect.stringMatching(/containers\[0\]\.imagePullPolicy: expected a string/),
        expect.stringMatching(/livenessProbe\.httpGet: unknown field "portt"/),
        expect.stringMatching(/spec\.selector: unknown field "matchLabelz"/),
        expect.stringMatching(/containers\[0\]: missing required field name/),
      ]),
    );
    expect(
      validateObject(
        { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: {} },
        definitionsFor('1.28'),
        'x',
      ),
    ).toEqual(['x: no schema for apps/v1beta1 Deployment']);
  });
});

describe('helm template of deploy/helm/upgrade-radar', () => {
  it('renders the webhook, workers and scheduler with their Services and PDBs from the defaults', () => {
    expect(kinds(defaults)).toEqual([
      'ConfigMap/r1-upgrade-radar-apiserver-audit',
      'Deployment/r1-upgrade-radar-scheduler',
      'Deployment/r1-upgrade-radar-webhook',
      'Deployment/r1-upgrade-radar-worker',
      'PodDisruptionBudget/r1-upgrade-radar-webhook',
      'PodDisruptionBudget/r1-upgrade-radar-worker',
      'Service/r1-upgrade-radar-scheduler',
      'Service/r1-upgrade-radar-webhook',
      'Service/r1-upgrade-radar-worker',
      'ServiceAccount/r1-upgrade-radar',
    ]);
    const sched = byName(defaults, 'Deployment', 'r1-upgrade-radar-scheduler');
    expect(sched.spec.replicas).toBe(1);
    expect(sched.spec.strategy.type).toBe('Recreate');
    expect(containers(sched)[0]!.args).toEqual(['scheduler']);
    expect(containers(byName(defaults, 'Deployment', 'r1-upgrade-radar-worker'))[0]!.args).toEqual([
      'worker',
    ]);
    expect(containers(byName(defaults, 'Deployment', 'r1-upgrade-radar-webhook'))[0]!.args).toEqual([
      'webhook',
    ]);
  });

  it('renders the production-like values: TLS sidecar, existing Secrets, PVC, ServiceMonitor, PrometheusRule', () => {
    expect(kinds(production)).toEqual(
      expect.arrayContaining([
        'PersistentVolumeClaim/r1-upgrade-radar-reports',
        'PrometheusRule/r1-upgrade-radar',
        'ServiceMonitor/r1-upgrade-radar',
      ]),
    );
    expect(
      production.some((o) => o.kind === 'Secret'),
      'credentials come from existing Secrets',
    ).toBe(false);
    const webhook = byName(production, 'Deployment', 'r1-upgrade-radar-webhook');
    expect(containers(webhook).map((c) => c.name)).toEqual(['webhook', 'tls-proxy']);
    const token = containers(webhook)[0]!.env.find((e: { name: string }) => e.name === 'WEBHOOK_TOKEN');
    expect(token.valueFrom.secretKeyRef).toEqual({ name: 'radar-webhook', key: 'token' });
    const svc = byName(production, 'Service', 'r1-upgrade-radar-webhook');
    expect(svc.spec.ports[0]).toMatchObject({
      name: 'audit',
      port: 443,
      targetPort: 'https',
      nodePort: 30443,
    });
    const rule = byName(production, 'PrometheusRule', 'r1-upgrade-radar');
    const file = parse(readFileSync(join(REPO_ROOT, 'deploy/prometheus/rules.yaml'), 'utf8'));
    expect(rule.spec).toEqual(file);
  });

  for (const [label, objs] of [
    ['default values', () => defaults],
    ['production-like values', () => production],
  ] as const) {
    for (const v of K8S_VERSIONS) {
      it(`validates every object of the ${label} against Kubernetes ${v}`, () => {
        const errors = objs().flatMap((o) =>
          validateObject(o, definitionsFor(v), `${o.kind}/${o.metadata.name}`),
        );
        expect(errors).toEqual([]);
      });
    }
    it(`sets only environment variables the services read (${label})`, () => {
      for (const d of objs().filter((o) => o.kind === 'Deployment')) {
        for (const c of containers(d as Manifest).filter((c) => c.name !== 'tls-proxy')) {
          const unknown = (c.env as { name: string }[]).map((e) => e.name).filter((n) => !envNames.has(n));
          expect(unknown, `${d.metadata.name}/${c.name}`).toEqual([]);
        }
      }
    });
    it(`runs every container non-root with a read-only root file system (${label})`, () => {
      for (const d of objs().filter((o) => o.kind === 'Deployment') as Manifest[]) {
        const pod = d.spec.template.spec;
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        expect(pod.automountServiceAccountToken).toBe(false);
        for (const c of pod.containers) {
          expect(c.securityContext, `${d.metadata.name}/${c.name}`).toMatchObject({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
          });
        }
      }
    });
  }

  it('keeps the workers within the partitions and the shutdown grace within the pod grace', async () => {
    const worker = byName(production, 'Deployment', 'r1-upgrade-radar-worker');
    expect(worker.spec.replicas).toBe(6);
    expect(worker.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    await expect(helmTemplate({ set: { 'worker.replicas': '5', 'kafka.partitions': '4' } })).rejects.toThrow(
      /worker.replicas \(5\) must not exceed kafka.partitions \(4\)/,
    );
  });

  it('refuses missing addresses and weak tokens with a message naming the value', async () => {
    await expect(helmTemplate({ set: { 'clickhouse.url': '' } })).rejects.toThrow(
      /clickhouse.url is required/,
    );
    await expect(helmTemplate({ set: { 'webhook.auth.token': 'short' } })).rejects.toThrow(
      /webhook.auth.token must have at least 16 characters/,
    );
    await expect(helmTemplate({ set: { 'webhook.tls.enabled': 'true' } })).rejects.toThrow(
      /webhook.tls.secretName is required/,
    );
  });

  it('puts an inline token in a chart-made Secret that the webhook reads', async () => {
    const { objects } = await helmTemplate({ set: { 'webhook.auth.token': 'a-token-of-24-characters' } });
    const secret = byName(objects, 'Secret', 'r1-upgrade-radar-credentials');
    expect(secret.stringData).toEqual({ 'webhook-token': 'a-token-of-24-characters' });
    const env = containers(byName(objects, 'Deployment', 'r1-upgrade-radar-webhook'))[0]!.env;
    expect(env.find((e: { name: string }) => e.name === 'WEBHOOK_TOKEN').valueFrom.secretKeyRef).toEqual({
      name: 'r1-upgrade-radar-credentials',
      key: 'webhook-token',
    });
    for (const v of K8S_VERSIONS) expect(validateObject(secret, definitionsFor(v), 'secret')).toEqual([]);
  });

  it('outputs the apiserver audit policy and webhook kubeconfig', () => {
    const cm = byName(production, 'ConfigMap', 'r1-upgrade-radar-apiserver-audit');
    expect(cm.data['audit-policy.yaml']).toBe(
      readFileSync(join(REPO_ROOT, 'infra/k8s/audit-policy.yaml'), 'utf8'),
    );
    expect(readFileSync(join(CHART_DIR, 'files/audit-policy.yaml'), 'utf8')).toBe(
      readFileSync(join(REPO_ROOT, 'infra/k8s/audit-policy.yaml'), 'utf8'),
    );
    const kubeconfig = parse(cm.data['audit-webhook-kubeconfig.yaml']);
    expect(kubeconfig.kind).toBe('Config');
    expect(kubeconfig.clusters[0].cluster.server).toBe(
      'https://radar-webhook.platform.example.com:30443/audit',
    );
    expect(
      Buffer.from(kubeconfig.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
    ).toContain('BEGIN CERTIFICATE');
    const dflt = parse(
      byName(defaults, 'ConfigMap', 'r1-upgrade-radar-apiserver-audit').data['audit-webhook-kubeconfig.yaml'],
    );
    expect(dflt.clusters[0].cluster.server).toBe('http://r1-upgrade-radar-webhook.radar.svc:80/audit');
  });
});
