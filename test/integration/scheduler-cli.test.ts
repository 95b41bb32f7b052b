import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metric, runRadar, startProcess, waitFor } from '../support/processes.js';
import { REDIS_HOST, REDIS_PORT } from '../support/redis.js';

// `radar scheduler` as a standalone process configured by the environment: it serves /metrics
// and /healthz, runs its jobs, and stops cleanly on SIGTERM; bad configuration stops it at start.

const REDIS_DB_URL = `redis://${REDIS_HOST}:${REDIS_PORT}/5`;
const base = () => ({
  RADAR_DATA_DIR: mkdtempSync(join(tmpdir(), 'radar-sched-cli-')),
  REDIS_URL: REDIS_DB_URL,
  SCHEDULER_QUEUE_PREFIX: `radar-cli-${randomUUID().slice(0, 8)}`,
  SCHEDULER_HTTP_PORT: '0',
  HTTP_HOST: '127.0.0.1',
  ALERT_CLUSTER_VERSION: '1.30',
  SCHEDULE_ALERT_CHECK: '250ms',
});

describe('radar scheduler', () => {
  it('runs alert checks, reports health and metrics, and shuts down on SIGTERM', async () => {
    const p = startProcess('services/cli/src/main.ts', base(), ['scheduler']);
    const port = await p.port;
    await waitFor(
      'alert checks completing',
      async () => (await metric(port, 'radar_scheduler_jobs_completed_total{queue="alert-checks"}')) >= 2,
      60_000,
      () => p.output().slice(-2000),
    );
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    p.child.kill('SIGTERM');
    expect(await p.exited, p.output().slice(-2000)).toBe(0);
    expect(p.output()).toContain('scheduler stopped');
    expect(p.output()).toContain('"reason":"UPGRADE_CURRENT_VERSION / UPGRADE_TARGET_VERSION are not set"');
  });

  it('refuses a bad configuration at start, naming each variable (exit code 2)', async () => {
    const r = await runRadar(['scheduler'], {
      ...base(),
      UPGRADE_TARGET_VERSION: '1.25',
      ALERT_CLUSTER_VERSION: '1.99',
      ALERT_SINKS: '[{"type":"slack"}]',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('UPGRADE_CURRENT_VERSION and UPGRADE_TARGET_VERSION: set both, or neither');
    expect(r.stderr).toContain("ALERT_CLUSTER_VERSION: unknown Kubernetes version '1.99'");
    expect(r.stderr).toContain('ALERT_SINKS[0].url');

    const cron = await runRadar(['scheduler'], {
      ...base(),
      SCHEDULE_WEEKLY_REPORT: 'every monday',
      SCHEDULER_TZ: 'Mars/Olympus',
    });
    expect(cron.code).toBe(2);
    expect(cron.stderr).toContain('SCHEDULE_WEEKLY_REPORT: must be a cron pattern');
    expect(cron.stderr).toContain('SCHEDULER_TZ: must be an IANA time zone');

    const noRedis = await runRadar(['scheduler'], { ...base(), REDIS_URL: 'redis://127.0.0.1:1/5' });
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1/5');
  });
});
