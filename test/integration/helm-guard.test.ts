import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseGuardPolicy } from '../../packages/guard/src/policy.js';
import { helmTemplate, type K8sObject } from '../support/helm.js';
import {
  CERT_MANAGER_PATH,
  type Definitions,
  K8S_VERSIONS,
  MONITORING_PATH,
  SUBSET_PATH,
  type SubsetFile,
} from '../support/k8s-schemas.js';
import { validateObject } from '../support/openapi-validate.js';
import { runRadar } from '../support/processes.js';
import { REPO_ROOT } from '../support/repo.js';
import { selfSignedCert } from '../support/tls.js';

// The chart's guard (deploy/helm/upgrade-radar/templates/guard.yaml), rendered with the values
// the built `radar guard config --format helm-values` prints: its webhook must be exactly what
// `radar guard config` prints for the same upgrade, Service and CA.
const subset: SubsetFile = JSON.parse(readFileSync(SUBSET_PATH, 'utf8'));
const extra: Definitions = {
  ...JSON.parse(readFileSync(MONITORING_PATH, 'utf8')).definitions,
  ...JSON.parse(readFileSync(CERT_MANAGER_PATH, 'utf8')).definitions,
};
const definitionsFor = (v: string): Definitions => ({ ...subset.versions[v], ...extra });
const envNames = new Set(
  [
    ...readFileSync(join(REPO_ROOT, 'packages/config/src/env.ts'), 'utf8').matchAll(
      /^ {4}([A-Z][A-Z0-9_]+):/gm,
    ),
  ].map((m) => m[1]),
);

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML is walked by path; validateObject checks its types
type Manifest = any;

const SVC = 'r1-upgrade-radar-guard';
const UPGRADES = [
  ['1.16', '1.18'],
  ['1.27', '1.28'],
] as const;
const dir = mkdtempSync(join(tmpdir(), 'radar-helm-guard-'));
const ca = selfSignedCert();
const file = (name: string, doc: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : stringify(doc));
  return path;
};
let files = 0;
const guardOn = (tls: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  file(`guard-${++files}.yaml`, {
    guard: { enabled: true, tls: { secretName: 'radar-guard-tls', ...tls }, ...more },
  });
const find = (objs: K8sObject[], kind: string, name = SVC): Manifest => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not rendered`);
  return o;
};
const guardObjects = (objs: K8sObject[]) =>
  objs.filter((o) => o.metadata.name.includes('guard') || o.kind === 'ValidatingWebhookConfiguration');

async function radar(args: string[]): Promise<string> {
  const r = await runRadar(['guard', 'config', '--builtin-only', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const rendered = new Map<string, { expected: Manifest; objects: K8sObject[] }>();
let helmValues: string;
let certManager: K8sObject[];
let injected: K8sObject[];
let defaults: K8sObject[];
beforeAll(async () => {
  const policy = {
    resources: [{ resource: 'networking.k8s.io/ingresses', mode: 'deny' }],
    allow: [{ group: 'platform-admins' }],
  };
  const inline = guardOn({ caBundle: ca.cert }, { mode: 'warn', policy });
  const jobs = UPGRADES.map(async ([from, to]) => {
    const values = await radar(['--format', 'helm-values', '--from', from, '--to', to]);
    if (to === '1.18') helmValues = values;
    const yaml = ['--from', from, '--to', to, '--name', SVC, '--service', SVC, '--namespace', 'radar'];
    const expected = parse(await radar([...yaml, '--ca-file', ca.certFile]));
    const { objects } = await helmTemplate({
      values: [file(`values-${to}.yaml`, values), inline],
      set: { 'metrics.serviceMonitor.enabled': 'true' },
    });
    rendered.set(to, { expected, objects });
  });
  const gv = () => file('values-cm.yaml', helmValues);
  await Promise.all(jobs);
  [certManager, injected, defaults] = await Promise.all([
    helmTemplate({
      values: [gv(), guardOn({ certManagerIssuer: { name: 'radar-ca', kind: 'ClusterIssuer' } })],
    }),
    helmTemplate({ values: [gv(), guardOn({ injectCaFrom: 'pki/radar-guard' })] }),
    helmTemplate(),
  ]).then((rs) => rs.map((r) => r.objects));
}, 240_000);

describe('the chart with guard.enabled and the values of radar guard config --format helm-values', () => {
  for (const [from, to] of UPGRADES) {
    it(`renders the ValidatingWebhookConfiguration radar guard config prints (${from} -> ${to})`, () => {
      const { expected, objects } = rendered.get(to)!;
      const vwc = find(objects, 'ValidatingWebhookConfiguration');
      // The chart's labels are its own; everything else is the CLI's object, field for field.
      const { labels, ...metadata } = vwc.metadata;
      expect(labels).toMatchObject({
        'app.kubernetes.io/instance': 'r1',
        'app.kubernetes.io/component': 'guard',
      });
      expect({ ...vwc, metadata }).toEqual(expected);
      expect(Buffer.from(vwc.webhooks[0].clientConfig.caBundle, 'base64').toString()).toBe(ca.cert);
      expect(vwc.webhooks[0].matchConditions === undefined).toBe(to === '1.18');
    });

    for (const v of K8S_VERSIONS) {
      it(`validates every object against Kubernetes ${v} (${from} -> ${to})`, () => {
        const objs = rendered.get(to)!.objects;
        const errors = objs.flatMap((o) =>
          validateObject(o, definitionsFor(v), `${o.kind}/${o.metadata.name}`),
        );
        expect(errors).toEqual([]);
      });
    }
  }

  it('runs radar guard serve for the upgrade over HTTPS with the policy, probes on /healthz', () => {
    const objs = rendered.get('1.18')!.objects;
    expect(
      guardObjects(objs)
        .map((o) => o.kind)
        .sort(),
    ).toEqual([
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
      'Service',
      'ValidatingWebhookConfiguration',
    ]);
    const d = find(objs, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    const [c] = d.spec.template.spec.containers;
    expect(c.args).toEqual(['guard', 'serve', '--learn=14d', '--refresh=30s', '--max-staleness=10m']);
    const env = Object.fromEntries(c.env.map((e: Manifest) => [e.name, e.value]));
    expect(env).toMatchObject({
      GUARD_FROM_VERSION: '1.16',
      GUARD_TO_VERSION: '1.18',
      GUARD_MODE: 'warn',
      GUARD_PORT: '8443',
      GUARD_TLS_CERT_FILE: '/tls/tls.crt',
      GUARD_TLS_KEY_FILE: '/tls/tls.key',
      GUARD_POLICY_FILE: '/etc/radar/guard-policy.yaml',
    });
    expect(Object.keys(env).filter((n) => !envNames.has(n))).toEqual([]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'https', scheme: 'HTTPS' });
    expect(c.livenessProbe.httpGet).toEqual(c.readinessProbe.httpGet);
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    const tlsVolume = d.spec.template.spec.volumes.find((v: Manifest) => v.name === 'tls');
    expect(tlsVolume.secret.secretName).toBe('radar-guard-tls');
    // The file the guard reads is a valid policy with the chart's global mode.
    const policy = parseGuardPolicy(
      parse(find(objs, 'ConfigMap', `${SVC}-policy`).data['guard-policy.yaml']),
      'guard-policy.yaml',
    );
    expect(policy.mode).toBe('warn');
    expect(policy.resources).toEqual([{ resource: 'networking.k8s.io/ingresses', mode: 'deny' }]);
    const svc = find(objs, 'Service');
    expect(svc.spec.ports).toEqual([
      { name: 'webhook', port: 443, targetPort: 'https' },
      { name: 'guard-metrics', port: 8443, targetPort: 'https' },
    ]);
    const vwc = find(objs, 'ValidatingWebhookConfiguration');
    expect(vwc.webhooks[0].clientConfig.service).toEqual({
      name: svc.metadata.name,
      namespace: 'radar',
      path: '/validate',
      port: svc.spec.ports[0].port,
    });
    const monitor = find(objs, 'ServiceMonitor', 'r1-upgrade-radar');
    expect(monitor.spec.endpoints).toContainEqual(
      expect.objectContaining({ port: 'guard-metrics', scheme: 'https', path: '/metrics' }),
    );
    expect(svc.metadata.labels['upgrade-radar.dev/metrics']).toBe('true');
  });

  it('with a cert-manager issuer: a Certificate for the Service, its CA injected, no inline caBundle', () => {
    const cert = find(certManager, 'Certificate');
    expect(cert.spec).toEqual({
      secretName: 'radar-guard-tls',
      dnsNames: [`${SVC}.radar.svc`, `${SVC}.radar.svc.cluster.local`],
      issuerRef: { name: 'radar-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
    const vwc = find(certManager, 'ValidatingWebhookConfiguration');
    expect(vwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe(`radar/${SVC}`);
    expect(vwc.webhooks[0].clientConfig.caBundle).toBeUndefined();
    expect(certManager.some((o) => o.kind === 'ConfigMap' && o.metadata.name === `${SVC}-policy`)).toBe(
      false,
    );
    for (const v of K8S_VERSIONS)
      expect(
        certManager.flatMap((o) => validateObject(o, definitionsFor(v), `${o.kind}/${o.metadata.name}`)),
      ).toEqual([]);
  });

  it('with injectCaFrom: the annotation names that Certificate, the chart makes none', () => {
    const vwc = find(injected, 'ValidatingWebhookConfiguration');
    expect(vwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('pki/radar-guard');
    expect(injected.some((o) => o.kind === 'Certificate')).toBe(false);
  });

  it('renders no guard object by default', () => {
    expect(guardObjects(defaults)).toEqual([]);
  });

  it('refuses to render an enabled guard without TLS, its upgrade, its webhook or one CA source', async () => {
    const gv = file('values-fail.yaml', helmValues);
    await expect(helmTemplate({ values: [gv], set: { 'guard.enabled': 'true' } })).rejects.toThrow(
      /guard.tls.secretName is required when guard.enabled \(a kubernetes.io\/tls Secret for r1-upgrade-radar-guard.radar.svc\)/,
    );
    await expect(helmTemplate({ set: { 'guard.enabled': 'true' } })).rejects.toThrow(
      /guard.from and guard.to are required .*radar guard config --format helm-values/,
    );
    await expect(
      helmTemplate({ set: { 'guard.enabled': 'true', 'guard.from': '1.16', 'guard.to': '1.18' } }),
    ).rejects.toThrow(/guard.webhook \(its rules\) is required/);
    await expect(helmTemplate({ values: [gv, guardOn({})] })).rejects.toThrow(
      /guard.tls needs exactly one of caBundle \(PEM\), certManagerIssuer.name or injectCaFrom/,
    );
    await expect(
      helmTemplate({ values: [gv, guardOn({ caBundle: ca.cert, injectCaFrom: 'pki/x' })] }),
    ).rejects.toThrow(/guard.tls needs exactly one of/);
    await expect(
      helmTemplate({ values: [gv, guardOn({ caBundle: ca.cert })], set: { 'guard.mode': 'block' } }),
    ).rejects.toThrow(/guard.mode "block": use audit, warn or deny/);
  }, 120_000);
});
