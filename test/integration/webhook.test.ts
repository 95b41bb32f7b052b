import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { committedOffsets, consumeAll, createTopic, uniqueName } from '../support/kafka.js';
import { queryDataDir, type RadarProcess, startProcess, waitFor } from '../support/processes.js';

const TOKEN = 'a-webhook-token-of-32-characters';
const running: RadarProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

async function stop(p: RadarProcess) {
  p.child.kill('SIGTERM');
  expect(await p.exited, p.output().slice(-2000)).toBe(0);
}

const list = (items: unknown[]) =>
  JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });
const post = (port: number, body: string, token?: string) =>
  fetch(`http://127.0.0.1:${port}/audit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

describe('audit webhook', () => {
  it('radar serve: token, body limit, bad items reported and kept in dead_letters, good ones stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-hook-'));
    const serve = startProcess(
      'services/cli/src/main.ts',
      { RADAR_DATA_DIR: dir, WEBHOOK_TOKEN: TOKEN, WEBHOOK_BODY_LIMIT_BYTES: String(256 * 1024) },
      ['serve', '--no-scheduler', '--port', '0'],
    );
    running.push(serve);
    const port = await serve.port;
    const batch = list([auditEvent({}, 1), auditEvent({}, 2), { ...auditEvent({}, 3), verb: 'explode' }]);

    expect((await post(port, batch)).status).toBe(401);
    expect((await post(port, batch, 'wrong-token-wrong-token-wrong-xx')).status).toBe(401);
    const big = await post(port, list(Array.from({ length: 400 }, (_, i) => auditEvent({}, i))), TOKEN);
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: `body larger than ${256 * 1024} bytes` });

    const ok = await post(port, batch, TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      events: 3,
      stored: 2,
      dropped: {},
      rejectedCount: 1,
      rejected: [{ reason: 'unknown-verb', detail: 'items[2]: verb: "explode"' }],
      deadLetters: { written: 1, overRequestCap: {}, overMinuteCap: {} },
    });
    // The apiserver retries a batch it did not see acknowledged: nothing is stored twice.
    expect(await (await post(port, batch, TOKEN)).json()).toMatchObject({
      stored: 0,
      dropped: { 'already-stored': 2 },
    });
    const garbage = await post(port, '{"kind":"EventList","items":[', TOKEN);
    expect(await garbage.json()).toMatchObject({
      events: 1,
      stored: 0,
      rejected: [{ reason: 'invalid-json' }],
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    await stop(serve);

    const [counts] = await queryDataDir<{ rows: number; dead: number }>(
      dir,
      'SELECT (SELECT count() FROM audit_events) AS rows, (SELECT count() FROM dead_letters) AS dead',
    );
    expect(counts).toEqual({ rows: 2, dead: 3 });
  });

  it('radar webhook + radar worker: events go to Kafka one per message and end up stored', async () => {
    const topic = uniqueName('audit_webhook');
    const group = uniqueName('ingest');
    await createTopic(topic, 2);
    const hook = startProcess('services/cli/src/main.ts', { KAFKA_TOPIC: topic }, ['webhook']);
    running.push(hook);
    const port = await hook.port;
    const items = Array.from({ length: 40 }, (_, i) => auditEvent({}, i));
    const queued = await post(port, list(items));
    expect(queued.status).toBe(200);
    // Queued on Kafka, not stored yet: the worker validates and stores.
    expect(await queued.json()).toEqual({ events: 40, queued: 40, rejectedCount: 0, rejected: [] });
    expect((await post(port, 'not json')).status).toBe(400);
    const onTopic = await consumeAll(topic, 40);
    expect(new Set(onTopic.map((m) => m.key))).toEqual(new Set(items.map((e) => String(e.auditID))));
    await stop(hook);

    const dir = mkdtempSync(join(tmpdir(), 'radar-hook-worker-'));
    const worker = startProcess('services/ingest-worker/src/main.ts', {
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: group,
      RADAR_DATA_DIR: dir,
    });
    running.push(worker);
    await worker.port;
    await waitFor('the worker to commit the webhook events', async () => {
      const done = await committedOffsets(group, topic);
      return [...done.values()].reduce((a, b) => a + Math.max(0, b), 0) === 40;
    });
    await stop(worker);
    const [n] = await queryDataDir<{ n: number }>(dir, 'SELECT count() AS n FROM audit_events');
    expect(n!.n).toBe(40);
  });
});
