// Issue 15, findings 1 and 2, end to end: values JavaScript accepts and the engine refused
// (a lone surrogate in any string; a time outside what the store can hold) made `radar ingest`
// store nothing and the webhook answer 503 forever. Now the strings are stored with U+FFFD and
// the times are rejected as invalid-timestamp, the rest of the input stored once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { queryDataDir, type RadarProcess, runRadar, startProcess } from '../support/processes.js';

const BAD_TIMES = ['0', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z'];

/** One good event, one lone surrogate in each of userAgent, namespace and auditID, each bad time. */
function hostileEvents(prefix: string): Record<string, unknown>[] {
  const good = (id: string, i: number) => auditEvent({ auditID: `${prefix}-${id}` }, i);
  return [
    good('good', 0),
    { ...good('ua', 1), userAgent: 'kubectl/v1.24.4 \ud800(linux/amd64) kubernetes/95ee5ab' },
    { ...good('ns', 2), objectRef: { resource: 'pods', namespace: 'team-\udfff', name: 'p' } },
    good('id-\ud800', 3),
    ...BAD_TIMES.map((t, k) => ({ ...good(`time-${k}`, 4 + k), requestReceivedTimestamp: t })),
  ];
}

async function storedRows(dir: string, cluster: string) {
  return queryDataDir<{ audit_id: string; user_agent: string; namespace: string; n: number }>(
    dir,
    `SELECT audit_id, any(user_agent) AS user_agent, any(namespace) AS namespace, count() AS n
     FROM audit_events FINAL WHERE cluster = '${cluster}' GROUP BY audit_id ORDER BY audit_id`,
  );
}

function expectStoredHostile(rows: Awaited<ReturnType<typeof storedRows>>, prefix: string) {
  expect(rows.map((r) => [r.audit_id, Number(r.n)])).toEqual(
    [`${prefix}-good`, `${prefix}-id-\ufffd`, `${prefix}-ns`, `${prefix}-ua`].map((id) => [id, 1]),
  );
  expect(rows.find((r) => r.audit_id === `${prefix}-ua`)!.user_agent).toBe(
    'kubectl/v1.24.4 \ufffd(linux/amd64) kubernetes/95ee5ab',
  );
  expect(rows.find((r) => r.audit_id === `${prefix}-ns`)!.namespace).toBe('team-\ufffd');
}

const running: RadarProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

describe('values the engine refused no longer block ingest', () => {
  it('radar ingest --file stores the lone-surrogate events and rejects each bad time by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-hostile-'));
    const file = join(dir, 'audit.log');
    writeFileSync(
      file,
      `${hostileEvents('f')
        .map((e) => JSON.stringify(e))
        .join('\n')}\n`,
    );
    const run = () => runRadar(['ingest', '--file', file, '--data-dir', dir, '--cluster', 'hostile']);
    const r = await run();
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      eventsRead: 7,
      requestsStored: 4,
      rejected: { 'invalid-timestamp': 3 },
    });
    expect(summary.rejectedSamples).toEqual(
      BAD_TIMES.map((t, k) => ({
        where: `${file}:${5 + k}`,
        reason: 'invalid-timestamp',
        detail: expect.stringContaining(`requestReceivedTimestamp: ${JSON.stringify(t)}`),
      })),
    );
    expectStoredHostile(await storedRows(dir, 'hostile'), 'f');
    // The same file again: every request is recognised as stored (one identity for its time).
    const again = await run();
    expect(JSON.parse(again.stdout)).toMatchObject({ requestsStored: 0, duplicates: 4 });
    expectStoredHostile(await storedRows(dir, 'hostile'), 'f');
  });

  it('radar serve answers 200 to a POST with them, stores the rest once, and never 503', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-hostile-hook-'));
    const serve = startProcess(
      'services/cli/src/main.ts',
      { RADAR_DATA_DIR: dir, RADAR_CLUSTER_NAME: 'hook' },
      ['serve', '--no-scheduler', '--port', '0'],
    );
    running.push(serve);
    const port = await serve.port;
    const body = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: hostileEvents('w'),
    });
    const post = () =>
      fetch(`http://127.0.0.1:${port}/audit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const first = await post();
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { events: number; stored: number; rejected: { reason: string }[] };
    expect(answer).toMatchObject({ events: 7, stored: 4 });
    expect(answer.rejected.map((x) => x.reason)).toEqual(BAD_TIMES.map(() => 'invalid-timestamp'));
    // The apiserver's retry of the same batch: 200 again, nothing stored twice.
    const retry = await post();
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ stored: 0 });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    serve.child.kill('SIGTERM');
    expect(await serve.exited, serve.output().slice(-2000)).toBe(0);
    expectStoredHostile(await storedRows(dir, 'hook'), 'w');
  });
});
