import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../packages/alerts/src/index.js';
import { builtinChanges } from '../../packages/catalog/src/index.js';
import { WEBHOOK_NAME } from '../../packages/guard/src/index.js';
import { createLogger } from '../../packages/observability/src/index.js';
import type { RankResult, ReportDoc } from '../../packages/ranking/src/index.js';
import { auditRow } from '../../packages/ranking/src/testing.js';
import { insertRows, migrate, openStore, type Store } from '../../packages/store/src/index.js';
import { type RunningGuard, startGuard } from '../../services/guard/src/index.js';
import { auditEvent } from '../support/events.js';
import { dropPathType, postReview, type ReviewAnswer, testGuardSettings } from '../support/guard.js';
import { runRadar, waitFor } from '../support/processes.js';
import { httpsRequest, selfSignedCert } from '../support/tls.js';

// The guard's own verdicts end to end: a real guard over HTTPS (users learned from a store)
// answers AdmissionReviews; each answer becomes the audit event the apiserver records for that
// request (its auditAnnotations under `<webhook name>/<key>`, a denial's 403 Status, both
// stages); the log is ingested by the built `radar ingest --file`, then rank, report and alerts
// are read as users read them.
const PATH_TYPE = 'spec.rules[].http.paths[].pathType';
const UA = 'deploy-bot/v1.16.0 (linux/amd64) kubernetes/2bd9643';
const dir = mkdtempSync(join(tmpdir(), 'radar-guardv-'));
const env = { RADAR_DATA_DIR: join(dir, 'data'), ALERT_INGEST_GRACE_MS: '0', ALERT_SINKS: '' };
const tls = selfSignedCert();
let learned: Store;
let guard: RunningGuard;

/** The apiserver's audit event of the request a review was about, given the guard's answer. */
function recorded(answer: ReviewAnswer, namespace: string, i: number): Record<string, unknown>[] {
  const at = new Date(Date.now() - 60_000 + i * 100);
  const base = auditEvent(
    {
      auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      verb: 'update',
      group: 'networking.k8s.io',
      version: 'v1beta1',
      resource: 'ingresses',
      namespace,
      name: `shop-${i}`,
      username: 'deploy-bot',
      userAgent: UA,
      time: at,
    },
    i,
  );
  const annotations: Record<string, unknown> = { ...(base.annotations as object) };
  for (const [k, v] of Object.entries(answer.auditAnnotations ?? {})) annotations[`${WEBHOOK_NAME}/${k}`] = v;
  const complete: Record<string, unknown> = { ...base, annotations };
  if (!answer.allowed) {
    complete.responseStatus = {
      metadata: {},
      status: 'Failure',
      message: `admission webhook "${WEBHOOK_NAME}" denied the request: ${answer.status?.message}`,
      reason: 'Forbidden',
      code: answer.status?.code,
    };
  }
  // The log backend writes the RequestReceived stage first, before admission ran.
  const { responseStatus: _s, annotations: _a, ...received } = base;
  return [{ ...received, stage: 'RequestReceived' }, complete];
}

beforeAll(async () => {
  learned = await openStore({
    dataDir: mkdtempSync(join(tmpdir(), 'radar-guardv-learn-')),
    database: 'radar_test',
  });
  await migrate(learned);
  const day = new Date(Date.now() - 86_400_000);
  await insertRows(learned, 'audit_events', [
    auditRow({
      id: 'l1',
      ts: day,
      client: 'deploy-bot',
      kube: 16,
      verb: 'update',
      user: 'deploy-bot',
      group: 'networking.k8s.io',
      version: 'v1beta1',
      resource: 'ingresses',
    }),
  ]);
  guard = await startGuard(testGuardSettings(tls), {
    store: async () => learned,
    changes: builtinChanges(),
    log: createLogger('guardv-test', 'silent'),
  });
  await waitFor(
    'the learned table',
    async () =>
      JSON.parse((await httpsRequest(guard.port, tls.cert, { method: 'GET', path: '/healthz' })).body)
        .table === 'fresh',
  );
  const events: Record<string, unknown>[] = [];
  let i = 0;
  for (const [ns, n] of [
    ['deny-shop', 3],
    ['warn-shop', 2],
    ['shop', 1],
  ] as const) {
    for (let k = 0; k < n; k++) {
      const answer = await postReview(guard.port, tls.cert, dropPathType('deploy-bot', ns));
      events.push(...recorded(answer, ns, i++));
    }
  }
  // A hostile writer of the same keys: a number as the verdict, a huge field list. Kept, normalised.
  const [, hostile] = recorded({ uid: 'x', allowed: true }, 'shop', i++);
  (hostile!.annotations as Record<string, unknown>)[`${WEBHOOK_NAME}/verdict`] = 42;
  (hostile!.annotations as Record<string, unknown>)[`${WEBHOOK_NAME}/fields`] = 'dropped:x,'.repeat(50_000);
  events.push(hostile!);
  writeFileSync(join(dir, 'audit.jsonl'), `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const ingest = await runRadar(['ingest', '--file', join(dir, 'audit.jsonl'), '--cluster', 'prod'], env);
  expect(ingest.code, ingest.stderr).toBe(0);
  expect(JSON.parse(ingest.stdout)).toMatchObject({ requestsStored: 7, rejected: {} });
});

afterAll(async () => {
  await guard?.close();
  await learned?.close();
});

const upgrade = ['--current', '1.17', '--target', '1.18', '--since', '1d'];

describe("the guard's verdicts in the product", () => {
  it('rank: the denied client is marked, with counts on its pathType finding, in json, table and md', async () => {
    const res = await runRadar(['rank', ...upgrade, '--format', 'json'], env);
    expect(res.code, res.stderr).toBe(0);
    const r = JSON.parse(res.stdout) as RankResult;
    const bot = r.clients.find((c) => c.client === 'deploy-bot')!;
    expect(bot.guard).toEqual({ denied: 3, warned: 2, wouldDeny: 1, undecided: 0, other: 1 });
    const pathType = bot.findings.find((f) => f.path === PATH_TYPE)!;
    expect(pathType.guard).toEqual({ denied: 3, warned: 2, wouldDeny: 1, undecided: 0, other: 0 });
    expect(r.guard).toEqual([
      expect.objectContaining({
        client: 'deploy-bot',
        clientVersion: '1.16.0',
        kubeVersion: '1.16',
        ranked: true,
        resource: 'ingresses',
        denied: 3,
        warned: 2,
        wouldDeny: 1,
        other: 1,
        fields: [`dropped:${PATH_TYPE}`, 'dropped:x'],
        users: ['deploy-bot'],
      }),
    ]);
    const table = await runRadar(['rank', ...upgrade, '--format', 'table'], env);
    expect(table.stdout).toContain('DENIED 3, warned 2, would-deny 1, other 1');
    expect(table.stdout).toContain('Guard verdicts (radar guard, docs/guard.md):');
    const md = await runRadar(['rank', ...upgrade, '--format', 'md'], env);
    expect(md.stdout).toContain('**DENIED 3, warned 2, would-deny 1, other 1**');
    expect(md.stdout).toContain('## Guard verdicts');
  });

  it('report: a "Guard verdicts" section per client, version and resource, with fields', async () => {
    const out = join(dir, 'report');
    const res = await runRadar(['report', ...upgrade, '--out', out], env);
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReportDoc;
    const section = doc.sections?.find((s) => s.title === 'Guard verdicts');
    expect(section?.rows).toEqual([
      [
        'deploy-bot 1.16.0',
        '1.16',
        'networking.k8s.io/v1beta1 ingresses',
        3,
        2,
        1,
        1,
        `dropped:${PATH_TYPE}, dropped:x`,
        'deploy-bot',
        expect.any(String),
      ],
    ]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Guard verdicts');
    expect(md).toContain('refused 3, warned on 2 and flagged 1 full updates');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('guard: DENIED 3');
  });

  it('alerts: "blocked 3 updates by deploy-bot 1.16 on ingresses", the warnings apart, then nothing new', async () => {
    const check = ['alerts', 'check', '--cluster-version', '1.18', '--format', 'json'];
    const res = await runRadar(check, env);
    expect(res.code, res.stderr).toBe(0);
    const r = JSON.parse(res.stdout) as CheckResult;
    const guardAlerts = r.alerts.filter((a) => a.guard).map((a) => [a.severity, a.summary]);
    expect(guardAlerts).toEqual([
      [
        'critical',
        `blocked 3 updates by deploy-bot 1.16 on ingresses (networking.k8s.io, cluster prod, v1.18): dropped:${PATH_TYPE}; user deploy-bot`,
      ],
      [
        'warning',
        `warned on 2 updates (allowed: the fields were lost) by deploy-bot 1.16 on ingresses (networking.k8s.io, cluster prod, v1.18): dropped:${PATH_TYPE}; user deploy-bot`,
      ],
    ]);
    // The version-based alert counts the updates that went through, not the 3 the guard refused.
    expect(r.alerts.filter((a) => !a.guard).map((a) => [a.client.name, a.requests])).toEqual([
      ['deploy-bot', 4],
    ]);
    const again = JSON.parse((await runRadar(check, env)).stdout) as CheckResult;
    expect(again.alerts).toEqual([]);
  });
});
