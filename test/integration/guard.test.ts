import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinChanges } from '../../packages/catalog/src/index.js';
import { parseGuardPolicy } from '../../packages/guard/src/index.js';
import { admissionReview, DEPLOYMENT, deployment } from '../../packages/guard/src/testing.js';
import { createLogger } from '../../packages/observability/src/index.js';
import { auditRow } from '../../packages/ranking/src/testing.js';
import { insertRows, migrate, openStore, type Store } from '../../packages/store/src/index.js';
import { type RunningGuard, runSimulation, startGuard } from '../../services/guard/src/index.js';
import { dropPathType, guardMetric, postReview, testGuardSettings } from '../support/guard.js';
import { waitFor } from '../support/processes.js';
import { httpsRequest, selfSignedCert, type TestCert } from '../support/tls.js';

// The guard over HTTPS against the embedded store: users learned from real audit_events rows,
// reviews built on the committed AdmissionReview / Ingress / Deployment fixture shapes.
const PATH_TYPE = 'spec.rules[].http.paths[].pathType';
const day = new Date(Date.now() - 86_400_000);
const NET = { group: 'networking.k8s.io', version: 'v1beta1', resource: 'ingresses' };

let store: Store;
let guard: RunningGuard;
let tls: TestCert;

beforeAll(async () => {
  tls = selfSignedCert();
  store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-guard-')), database: 'radar_test' });
  await migrate(store);
  const row = (
    id: string,
    user: string,
    client: string,
    kube: number,
    extra: Record<string, unknown> = {},
  ) => ({
    ...auditRow({ id, ts: day, client, kube, verb: 'update', ...NET, user, ...extra }),
    ...('request_paths' in extra ? { request_paths: extra.request_paths } : {}),
  });
  await insertRows(store, 'audit_events', [
    row('a1', 'deploy-bot', 'deploy-bot', 16),
    row('a2', 'deploy-bot', 'deploy-bot', 16, { group: 'apps', version: 'v1', resource: 'deployments' }),
    row('b1', 'deploy-bot-18', 'deploy-bot', 18),
    // A recorded body of deploy-bot's update without the field (field evidence of a drop).
    {
      ...row('a3', 'deploy-bot', 'deploy-bot', 16),
      request_paths: ['spec.rules[].host', 'spec.rules[].http.paths[].path'],
    },
    // A v0.0.0 build (no Kubernetes version) whose recorded bodies carry the field.
    {
      ...row('c1', 'mystery', 'manager', 0, { clientVersion: 'v0.0.0' }),
      request_paths: [PATH_TYPE, 'spec.rules[].host'],
    },
  ]);
  guard = await startGuard(testGuardSettings(tls), {
    store: async () => store,
    changes: builtinChanges(),
    log: createLogger('guard-test', 'silent'),
  });
  await waitFor('the learned table', async () => JSON.parse((await get('/healthz')).body).table === 'fresh');
});

afterAll(async () => {
  await guard?.close();
  await store?.close();
});

const get = (path: string, port = guard.port) => httpsRequest(port, tls.cert, { method: 'GET', path });

const review = (body: unknown, port = guard.port) => postReview(port, tls.cert, body);
const metricValue = (name: string, labels = '', port = guard.port) =>
  guardMetric(port, tls.cert, name, labels);

describe('radar guard over HTTPS', () => {
  it('denies, warns or annotates a 1.16 client dropping Ingress pathType, per mode', async () => {
    const denied = await review(dropPathType('deploy-bot', 'deny-shop'));
    expect(denied.uid).toBe('uid-deploy-bot-deny-shop');
    expect(denied.allowed).toBe(false);
    expect(denied.status?.code).toBe(403);
    expect(denied.status?.message).toContain('spec.rules[0].http.paths[0].pathType');
    expect(denied.status?.message).toContain('deploy-bot v1.16.0 (Kubernetes 1.16)');
    expect(denied.status?.message).toMatch(/patch or server-side apply/);

    const warned = await review(dropPathType('deploy-bot', 'warn-shop'));
    expect(warned.allowed).toBe(true);
    expect(warned.warnings?.[0]).toMatch(
      /drops spec\.rules\[0\]\.http\.paths\[0\]\.pathType.*1\.18.*deploy-bot v1\.16\.0/,
    );
    expect(warned.auditAnnotations?.verdict).toBe('warned');

    const audited = await review(dropPathType('deploy-bot', 'shop'));
    expect(audited.allowed).toBe(true);
    expect(audited.warnings).toBeUndefined();
    expect(audited.auditAnnotations).toEqual({
      verdict: 'would-deny',
      fields: `dropped:${PATH_TYPE}`,
      clients: 'deploy-bot v1.16.0 (1.16)',
    });
  });

  it('allows the same update by a 1.18 client, and by a v0.0.0 client proven to send the field', async () => {
    for (const user of ['deploy-bot-18', 'mystery']) {
      const r = await review(dropPathType(user, 'deny-shop'));
      expect(r).toMatchObject({ allowed: true });
      expect(r.auditAnnotations).toBeUndefined();
    }
  });

  it('allows a PATCH that removes the field and a status update', async () => {
    expect((await review(dropPathType('deploy-bot', 'deny-shop', { options: 'PatchOptions' }))).allowed).toBe(
      true,
    );
    expect((await review(dropPathType('deploy-bot', 'deny-shop', { subResource: 'status' }))).allowed).toBe(
      true,
    );
  });

  it('flags a reset to the default (Deployment fsGroupChangePolicy back to Always)', async () => {
    const r = await review(
      admissionReview({
        ...DEPLOYMENT,
        username: 'deploy-bot',
        namespace: 'deny-shop',
        object: deployment('Always'),
        oldObject: deployment('OnRootMismatch'),
      }),
    );
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain(
      'resets spec.template.spec.securityContext.fsGroupChangePolicy from "OnRootMismatch" to the default "Always"',
    );
  });

  it('answers bad input with an allowing review, counted by reason', async () => {
    const ok = dropPathType('deploy-bot', 'deny-shop');
    const huge = JSON.stringify({ ...ok, padding: 'x'.repeat(300 * 1024) });
    const cases: [string, string, string][] = [
      ['not-json', '{"kind":"AdmissionReview","request":{"uid":"u-cut","kind":', 'u-cut'],
      [
        'wrong-api-version',
        JSON.stringify({ ...ok, apiVersion: 'admission.k8s.io/v1beta1' }),
        'uid-deploy-bot-deny-shop',
      ],
      ['not-a-review', JSON.stringify({ ...ok, kind: 'Pod' }), 'uid-deploy-bot-deny-shop'],
      ['malformed', JSON.stringify({ ...ok, request: { uid: 'u-m', operation: 7 } }), 'u-m'],
      ['too-large', huge, 'uid-deploy-bot-deny-shop'],
    ];
    for (const [reason, body, uid] of cases) {
      const r = await review(body);
      expect(r, reason).toEqual({ uid, allowed: true });
      expect(await metricValue('radar_guard_bad_reviews_total', `reason="${reason}"`), reason).toBe(1);
    }
    expect((await get('/nope')).status).toBe(404);
  });

  it('simulate replays stored full updates through the same decision, per client', async () => {
    const res = await runSimulation(store, builtinChanges(), {
      from: '1.17',
      to: '1.18',
      sinceMs: 7 * 86_400_000,
      learnMs: 14 * 86_400_000,
      policy: parseGuardPolicy({ mode: 'deny' }, 'test'),
      cluster: '',
    });
    const users = res.map((r) => `${r.username} ${r.resource}`);
    expect(users).toEqual(expect.arrayContaining(['deploy-bot ingresses', 'deploy-bot deployments']));
    expect(users.some((u) => u.startsWith('deploy-bot-18'))).toBe(false);
    // The v0.0.0 client is proven for pathType only: still suspect for the other 1.18 fields.
    const mystery = res.find((r) => r.username === 'mystery')!;
    expect(mystery.fields.map((f) => f.path)).not.toContain(PATH_TYPE);
    expect(mystery.fields.map((f) => f.path)).toContain('spec.ingressClassName');
    const ing = res.find((r) => r.username === 'deploy-bot' && r.resource === 'ingresses')!;
    expect(ing).toMatchObject({ verdict: 'deny', updates: 2, withBody: 1, clientVersion: 'v1.16.0' });
    expect(ing.fields.find((f) => f.path === PATH_TYPE)).toEqual({
      path: PATH_TYPE,
      since: '1.18',
      bodiesWithoutField: 1,
    });
  });
});
