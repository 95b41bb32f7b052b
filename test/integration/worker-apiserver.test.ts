import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { caughtUp, createTopic, produce, type TestMessage, uniqueName } from '../support/kafka.js';
import { metric, queryDataDir, type RadarProcess, startProcess, waitFor } from '../support/processes.js';

// Which apiserver served a request, through Kafka (issue 11, item 2): `radar webhook` names it in
// the radar-apiserver headers of each record; the worker stores it per row, per message.
const running: RadarProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

async function stop(p: RadarProcess) {
  p.child.kill('SIGTERM');
  expect(await p.exited, p.output().slice(-2000)).toBe(0);
}

type Row = { audit_id: string; apiserver: string; apiserver_version: string };
const rowsOf = (dir: string) =>
  queryDataDir<Row>(
    dir,
    'SELECT audit_id, apiserver, apiserver_version FROM audit_events FINAL ORDER BY audit_id',
  );

/** Runs a worker on the topic until it committed everything; returns its data dir and refusals counted. */
async function consume(topic: string): Promise<{ dir: string; refused: number }> {
  const group = uniqueName('ingest');
  const dir = mkdtempSync(join(tmpdir(), 'radar-worker-apiserver-'));
  const w = startProcess('services/ingest-worker/src/main.ts', {
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: group,
    RADAR_DATA_DIR: dir,
  });
  running.push(w);
  const port = await w.port;
  await waitFor('the worker to commit everything', () => caughtUp(group, topic), 120_000, w.output);
  const refused = await metric(port, 'radar_ingest_apiserver_headers_refused_total');
  await stop(w);
  return { dir, refused };
}

const ev = (id: string, i: number) => ({ ...auditEvent({}, i), auditID: id });
const headers = (name: string, version: string) => ({
  'radar-apiserver': name,
  'radar-apiserver-version': version,
});

describe('ingest worker: the apiserver identity in Kafka headers', () => {
  it('stores each message with the apiserver its own headers name, interleaved in one partition', async () => {
    const topic = uniqueName('audit_apiserver');
    await createTopic(topic, 1);
    const messages: TestMessage[] = Array.from({ length: 40 }, (_, i) => {
      const id = `m-${String(i).padStart(2, '0')}`;
      const value = JSON.stringify(ev(id, i));
      if (i % 4 === 3) return { key: id, value }; // no headers
      return {
        key: id,
        value,
        headers: i % 2 === 0 ? headers('cp-1', 'v1.27.9') : headers('cp-2', 'v1.28.3'),
      };
    });
    // Refused headers: the event is stored all the same, without an identity, and counted.
    messages.push(
      { key: 'bad-1', value: JSON.stringify(ev('bad-1', 50)), headers: headers('cp 1', 'v1.28.3') },
      {
        key: 'bad-2',
        value: JSON.stringify(ev('bad-2', 51)),
        headers: { 'radar-apiserver-version': 'v1.28.3' },
      },
      { key: 'bad-3', value: JSON.stringify(ev('bad-3', 52)), headers: headers('cp-1', 'latest') },
    );
    // The webhook sends an empty version header for an apiserver named without its version.
    messages.push({ key: 'nov', value: JSON.stringify(ev('nov', 53)), headers: headers('cp-3', '') });
    await produce(
      topic,
      messages.map((m) => ({ ...m, partition: 0 })),
    );

    const { dir, refused } = await consume(topic);
    expect(refused).toBe(3);
    const rows = await rowsOf(dir);
    expect(rows).toHaveLength(44);
    const want = (i: number) =>
      i % 4 === 3 ? ['', ''] : i % 2 === 0 ? ['cp-1', 'v1.27.9'] : ['cp-2', 'v1.28.3'];
    expect(
      rows.filter((r) => r.audit_id.startsWith('m-')).map((r) => [r.apiserver, r.apiserver_version]),
    ).toEqual(Array.from({ length: 40 }, (_, i) => want(i)));
    expect(rows.filter((r) => !r.audit_id.startsWith('m-'))).toEqual([
      { audit_id: 'bad-1', apiserver: '', apiserver_version: '' },
      { audit_id: 'bad-2', apiserver: '', apiserver_version: '' },
      { audit_id: 'bad-3', apiserver: '', apiserver_version: '' },
      { audit_id: 'nov', apiserver: 'cp-3', apiserver_version: '' },
    ]);
  });

  it('radar webhook (Kafka) -> radar worker: ?apiserver= of each POST ends up on its rows', async () => {
    const topic = uniqueName('audit_webhook_apiserver');
    await createTopic(topic, 2);
    const hook = startProcess('services/cli/src/main.ts', { KAFKA_TOPIC: topic }, ['webhook']);
    running.push(hook);
    const port = await hook.port;
    const post = async (query: string, ids: string[]) => {
      const body = JSON.stringify({ kind: 'EventList', items: ids.map((id, i) => ev(id, i)) });
      const res = await fetch(`http://127.0.0.1:${port}/audit${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
    };
    await post('?apiserver=cp-1&apiserver_version=v1.27.9', ['a1', 'a2', 'a3']);
    await post('?apiserver=cp-2&apiserver_version=v1.28.3', ['b1', 'b2']);
    await post('?apiserver=cp-3', ['c1']);
    await post('', ['d1']);
    await stop(hook);

    const { dir, refused } = await consume(topic);
    expect(refused).toBe(0);
    expect((await rowsOf(dir)).map((r) => `${r.audit_id}:${r.apiserver}@${r.apiserver_version}`)).toEqual([
      'a1:cp-1@v1.27.9',
      'a2:cp-1@v1.27.9',
      'a3:cp-1@v1.27.9',
      'b1:cp-2@v1.28.3',
      'b2:cp-2@v1.28.3',
      'c1:cp-3@',
      'd1:@',
    ]);
  });
});
