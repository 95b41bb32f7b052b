import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../packages/alerts/src/index.js';
import {
  ALERT_TEST_CATALOG,
  auditRow,
  type Receiver,
  startReceiver,
} from '../../packages/alerts/src/testing.js';
import { loadConfig } from '../../packages/config/src/index.js';
import { insertRows, migrate, openStore, type Store } from '../../packages/store/src/index.js';
import { type RunningScheduler, startScheduler } from '../../services/scheduler/src/index.js';
import { metric, waitFor } from '../support/processes.js';
import { REDIS_HOST, REDIS_PORT } from '../support/redis.js';

// The real scheduler (bullmq 6 on real Redis, embedded ClickHouse) producing reports, snapshots and
// alerts, through a Redis FLUSHDB and a restart mid-run. Redis DB 5 only: FLUSHDB never touches
// the databases other tests use. Short `every` intervals; every wait polls with a deadline.

const REDIS_DB_URL = `redis://${REDIS_HOST}:${REDIS_PORT}/5`;
let store: Store;
let hook: Receiver;
const dataDir = mkdtempSync(join(tmpdir(), 'radar-sched-'));
const reportDir = join(dataDir, 'reports');
const prefix = `radar-it-${randomUUID().slice(0, 8)}`;

const env = (extra: Record<string, string | undefined> = {}) =>
  loadConfig({
    RADAR_DATA_DIR: dataDir,
    REDIS_URL: REDIS_DB_URL,
    SCHEDULER_QUEUE_PREFIX: prefix,
    HTTP_HOST: '127.0.0.1',
    SCHEDULER_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    UPGRADE_CURRENT_VERSION: '1.24',
    UPGRADE_TARGET_VERSION: '1.25',
    ALERT_CLUSTER_VERSION: '1.25.3',
    ALERT_INGEST_GRACE_MS: '0',
    ALERT_SINKS: JSON.stringify([{ type: 'webhook', url: `${hook.url}/hook`, retries: 1, backoffMs: 10 }]),
    REPORT_OUT_DIR: reportDir,
    SCHEDULE_ALERT_CHECK: '300ms',
    SCHEDULE_WEEKLY_REPORT: '400ms',
    SCHEDULE_RANK_SNAPSHOT: '400ms',
    SCHEDULER_RECONCILE_MS: '200',
    SCHEDULER_BACKOFF_MS: '50',
    ...extra,
  });

const start = (extra: Record<string, string | undefined> = {}) =>
  startScheduler({ store, catalog: async () => ALERT_TEST_CATALOG }, env(extra));

/** How many times each client was alerted through the webhook. */
const alertedClients = (): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const q of hook.requests) {
    for (const a of (q.body as { alerts: Alert[] }).alerts)
      out[a.client.name] = (out[a.client.name] ?? 0) + 1;
  }
  return out;
};

/** FLUSHDB on the test's own Redis database (never FLUSHALL: other tests use other databases). */
const flushDb = () =>
  expect(execFileSync('redis-cli', ['-u', REDIS_DB_URL, 'FLUSHDB']).toString().trim()).toBe('OK');

const count = async (sql: string): Promise<{ n: number }[]> => {
  const rs = await store.client.query({ query: sql, format: 'JSONEachRow' });
  return rs.json<{ n: number }>();
};

const risky = (client: string) =>
  insertRows(store, 'audit_events', [
    auditRow({ client, kube: 21, verb: 'update', name: 'db' }),
    auditRow({ client, kube: 21, verb: 'update', name: 'cache' }),
  ]);

beforeAll(async () => {
  store = await openStore({ dataDir, database: 'radar_sched_it' });
  await migrate(store);
  hook = await startReceiver();
});

afterAll(async () => {
  await hook?.close();
  await store?.close();
});

describe('scheduler on real Redis and ClickHouse', () => {
  let s: RunningScheduler | undefined;
  afterAll(async () => s?.close());

  it('produces reports, rank snapshots and alerts, once each, through a Redis flush and a restart', async () => {
    await risky('my-operator');
    await insertRows(store, 'audit_events', [
      auditRow({
        client: 'cron-tool',
        kube: 25,
        verb: 'list',
        group: 'batch',
        version: 'v1beta1',
        resource: 'cronjobs',
      }),
    ]);
    s = await start();
    expect(await s.queues.get('alert-checks')!.getJobSchedulersCount()).toBe(1);

    const completed = (queue: string) =>
      metric(s!.opsPort!, `radar_scheduler_jobs_completed_total{queue="${queue}"}`);
    await waitFor('first alerts, report and snapshot', async () => {
      const [r] = await count('SELECT count() AS n FROM report_history');
      const [k] = await count('SELECT count() AS n FROM rank_snapshots');
      return (
        alertedClients()['cron-tool'] === 1 &&
        alertedClients()['my-operator'] === 1 &&
        r!.n === 1 &&
        k!.n >= 1 &&
        // The job records the report in report_history first (once per week), then writes files.
        readdirSync(reportDir).some((d) => existsSync(join(reportDir, d, 'report.html')))
      );
    });
    const [report] = readdirSync(reportDir);
    expect(report).toMatch(/^\d{4}-W\d{2}_1\.24-1\.25_all$/);
    expect(existsSync(join(reportDir, report!, 'report.html'))).toBe(true);
    const health = await fetch(`http://127.0.0.1:${s.opsPort}/healthz`);
    expect(health.status).toBe(200);

    // Redis loses everything (this machine's Redis keeps nothing on disk).
    const before = await completed('alert-checks');
    flushDb();
    await waitFor('schedules re-created and alert checks running again', async () => {
      const counts = await Promise.all([...s!.queues.values()].map((q) => q.getJobSchedulersCount()));
      return counts.every((n) => n === 1) && (await completed('alert-checks')) >= before + 3;
    });
    expect(
      await metric(
        s.opsPort!,
        'radar_scheduler_schedules_upserted_total{queue="alert-checks",reason="missing"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    await risky('after-flush');
    await waitFor('alert raised after the flush', async () => alertedClients()['after-flush'] === 1);

    // Restart mid-run: the schedules are upserted again and nothing is alerted twice.
    await s.close();
    s = await start();
    for (const q of s.queues.values()) expect(await q.getJobSchedulersCount()).toBe(1);
    await risky('after-restart');
    await waitFor('alert raised after the restart and several more report runs', async () => {
      return (
        alertedClients()['after-restart'] === 1 &&
        (await metric(s!.opsPort!, 'radar_reports_total{result="existing"}')) >= 2
      );
    });

    // The same tick run twice on purpose (as a retry or a re-created schedule would): one report, no alert.
    const tick = Date.now();
    const twice = async (queue: string, data: object) => {
      const q = s!.queues.get(queue)!;
      const jobs = await Promise.all([0, 1].map(() => q.add(queue, data, { prevMillis: tick })));
      let results: Record<string, unknown>[] = [];
      await waitFor(`${queue} jobs of one tick finished`, async () => {
        const done = await Promise.all(jobs.map((j) => q.getJob(j.id!)));
        results = done.map((j) => j?.returnvalue as Record<string, unknown>);
        return results.every((r) => r != null);
      });
      return results;
    };
    const reruns = await twice('weekly-report', { current: '1.24', target: '1.25' });
    expect(reruns.map((r) => r.created)).toEqual([false, false]);
    expect(new Set(reruns.map((r) => r.reportId)).size).toBe(1);
    const checks = await twice('alert-checks', { clusterVersion: '1.25' });
    expect(checks.map((r) => r.alerts)).toEqual([0, 0]);

    expect(alertedClients()).toEqual({
      'my-operator': 1,
      'cron-tool': 1,
      'after-flush': 1,
      'after-restart': 1,
    });
    const perClient = await count(
      "SELECT client_name, count() AS n FROM alerts WHERE cluster = 'prod' GROUP BY client_name ORDER BY client_name",
    );
    expect(perClient.map((r) => r.n)).toEqual([1, 1, 1, 1]);
    // One report per period key, one snapshot per hour key, one directory per report.
    expect(
      await count('SELECT report_key, count() AS n FROM report_history GROUP BY report_key HAVING n > 1'),
    ).toEqual([]);
    expect(
      await count('SELECT period_key, count() AS n FROM rank_snapshots GROUP BY period_key HAVING n > 1'),
    ).toEqual([]);
    const [reports] = await count('SELECT uniqExact(report_key) AS n FROM report_history');
    expect(readdirSync(reportDir)).toHaveLength(reports!.n);

    const text = await (await fetch(`http://127.0.0.1:${s.opsPort}/metrics`)).text();
    expect(text).toMatch(
      /radar_scheduler_job_duration_seconds_count\{queue="weekly-report",outcome="completed"\} [1-9]/,
    );
    await s.close();
    s = undefined;
  });

  it('keeps and counts jobs that fail after their retries, and schedules only what is configured', async () => {
    // A file where the report directory should be: every report run fails.
    const blocked = join(dataDir, 'not-a-dir');
    writeFileSync(blocked, 'x');
    s = await startScheduler(
      { store, catalog: async () => ALERT_TEST_CATALOG },
      env({
        SCHEDULER_QUEUE_PREFIX: `${prefix}-fail`,
        UPGRADE_CURRENT_VERSION: '1.22',
        UPGRADE_TARGET_VERSION: '1.23',
        REPORT_OUT_DIR: blocked,
        SCHEDULER_JOB_ATTEMPTS: '2',
        ALERT_CLUSTER_VERSION: undefined,
      }),
    );
    const port = s.opsPort!;
    await waitFor('a report job failing for good', async () => {
      return (await metric(port, 'radar_scheduler_failed_jobs{queue="weekly-report"}')) >= 1;
    });
    expect(
      await metric(port, 'radar_scheduler_jobs_failed_total{queue="weekly-report",final="false"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric(port, 'radar_scheduler_jobs_failed_total{queue="weekly-report",final="true"}'),
    ).toBeGreaterThanOrEqual(1);
    const [failed] = await s.queues.get('weekly-report')!.getFailed(0, 0);
    expect(failed?.attemptsMade).toBe(2);
    expect(failed?.failedReason).toMatch(/not-a-dir/);
    // Alerts are off without a cluster version: no scheduler, no worker.
    expect(await s.queues.get('alert-checks')!.getJobSchedulersCount()).toBe(0);
    await s.close();
    s = undefined;
  });
});
