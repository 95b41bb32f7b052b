import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import {
  caughtUp,
  consumeAll,
  createTopic,
  newKafka,
  produce,
  restartBroker,
  type TestMessage,
  uniqueName,
} from '../support/kafka.js';
import { metric, queryDataDir, type RadarProcess, startProcess, waitFor } from '../support/processes.js';

const WORKER = 'services/ingest-worker/src/main.ts';

function worker(env: Record<string, string>): RadarProcess {
  return startProcess(WORKER, env);
}

async function stop(w: RadarProcess): Promise<void> {
  w.child.kill('SIGTERM');
  expect(await w.exited, w.output().slice(-2000)).toBe(0);
}

const stored = (dir: string) =>
  queryDataDir<{ rows: number; final: number; requests: number; rollup: number }>(
    dir,
    `SELECT (SELECT count() FROM audit_events) AS rows, (SELECT count() FROM audit_events FINAL) AS final, (SELECT uniqExact(audit_id, ts) FROM audit_events) AS requests,
            (SELECT sum(n) FROM (SELECT uniqMerge(requests) AS n FROM audit_daily GROUP BY day, cluster, api_group, resource, verb, client_name, client_version, api_version, subresource, username, client_kube_minor)) AS rollup`,
  ).then((r) => r[0]!);

function setup(partitions = 4) {
  const topic = uniqueName('audit');
  const group = uniqueName('ingest');
  const dataDir = mkdtempSync(join(tmpdir(), 'radar-worker-'));
  const env = {
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: group,
    RADAR_DATA_DIR: dataDir,
    RADAR_CLUSTER_NAME: 'it',
  };
  return { topic, group, dataDir, env, create: () => createTopic(topic, partitions) };
}

const good = (n: number, offset = 0): TestMessage[] =>
  Array.from({ length: n }, (_, i) => {
    const ev = auditEvent({}, offset + i);
    return { key: String(ev.auditID), value: JSON.stringify(ev) };
  });

describe('ingest worker against real Kafka and embedded ClickHouse', () => {
  it('stores every good event once and sends each bad one to the DLQ with its reason', async () => {
    const s = setup();
    await s.create();
    const events = good(300);
    // 50 requests also arrive at their RequestReceived stage, and 20 messages are delivered twice.
    const early = events.slice(0, 50).map((m) => {
      const ev = JSON.parse(String(m.value));
      return {
        key: m.key,
        value: JSON.stringify({ ...ev, stage: 'RequestReceived', responseStatus: undefined }),
      };
    });
    const full = JSON.stringify(auditEvent({}, 1));
    const list = {
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [auditEvent({}, 900), auditEvent({}, 901), { ...auditEvent({}, 902), verb: 'teleport' }],
    };
    const bad: TestMessage[] = [
      { key: 'truncated', value: full.slice(0, full.length / 2) },
      { key: 'types', value: JSON.stringify({ ...auditEvent({}, 2), verb: 42 }) },
      { key: 'verb', value: JSON.stringify({ ...auditEvent({}, 3), verb: 'frobnicate' }) },
      {
        key: 'utf8',
        value: Buffer.concat([
          Buffer.from(full.slice(0, 40)),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from(full.slice(40)),
        ]),
      },
      {
        key: 'huge',
        value: JSON.stringify({ ...auditEvent({}, 4), requestObject: { data: 'x'.repeat(100_000) } }),
      },
      { key: 'list', value: JSON.stringify(list) },
    ];
    await produce(s.topic, [
      ...early,
      ...events.slice(0, 150),
      ...bad,
      ...events.slice(150),
      ...events.slice(0, 20),
    ]);

    const w = worker({ ...s.env, INGEST_MAX_EVENT_BYTES: String(64 * 1024) });
    await w.port;
    await waitFor('the worker to commit everything', () => caughtUp(s.group, s.topic), 120_000, w.output);
    await stop(w);

    const st = await stored(s.dataDir);
    expect({ ...st, rows: undefined }).toEqual({ rows: undefined, final: 302, requests: 302, rollup: 302 });
    // Physically at most the requests plus an early stage whose later stage came in another batch.
    expect(st.rows).toBeLessThanOrEqual(302 + 50);
    const dlq = await consumeAll(`${s.topic}.dlq`, 6);
    const byKey = Object.fromEntries(dlq.map((m) => [m.key, m.headers]));
    expect(byKey.truncated?.['radar-reason']).toBe('invalid-json');
    expect(byKey.types?.['radar-reason']).toBe('invalid-event');
    expect(byKey.types?.['radar-detail']).toMatch(/^verb:/);
    expect(byKey.verb?.['radar-reason']).toBe('unknown-verb');
    expect(byKey.utf8?.['radar-reason']).toBe('invalid-utf8');
    expect(byKey.huge?.['radar-reason']).toBe('too-large');
    expect(byKey.list?.['radar-reason']).toBe('unknown-verb');
    expect(byKey.list?.['radar-detail']).toMatch(/^items\[2\]/);
    for (const m of dlq) expect(m.headers['radar-source-topic']).toBe(s.topic);
  });

  it('loses nothing and stores nothing twice when killed with SIGKILL mid-batch and restarted', async () => {
    const s = setup();
    await s.create();
    const total = 20_000;
    await produce(s.topic, good(total), 2000);
    // Small fetches stored without waiting for more: hundreds of inserts, so the kill lands
    // between an insert and its commit often.
    const env = {
      ...s.env,
      INGEST_MAX_BATCH_BYTES: String(96 * 1024),
      INGEST_MAX_BATCH_WAIT_MS: '100',
      INGEST_MIN_INSERT_ROWS: '0',
    };
    // Each worker is killed as soon as it has stored 1,000 rows: a worker stores thousands of
    // rows between two polls, so a later kill point could find the topic already done (the last
    // worker must still have work, asserted below).
    for (const after of [1_000, 1_000]) {
      const w = worker(env);
      const port = await w.port;
      await waitFor(
        `${after} rows inserted`,
        async () => (await metric(port, 'radar_ingest_rows_inserted_total')) >= after,
        120_000,
        w.output,
      );
      w.child.kill('SIGKILL');
      await w.exited;
    }
    const last = worker(env);
    const port = await last.port;
    await waitFor(
      'the restarted worker to commit everything',
      () => caughtUp(s.group, s.topic),
      180_000,
      last.output,
    );
    expect(await metric(port, 'radar_ingest_events_total')).toBeGreaterThan(0);
    await stop(last);
    expect(await stored(s.dataDir)).toEqual({ rows: total, final: total, requests: total, rollup: total });
  });

  it('loses nothing and stores nothing twice when its partitions move away mid-stream and come back', async () => {
    const s = setup();
    await s.create();
    const first = 6_000;
    const chunks = 48;
    const chunk = 500;
    const total = first + chunks * chunk;
    await produce(s.topic, good(first), 2000);
    // Small fetches stored at once: batches are queued and being stored when the partitions move.
    const w = worker({ ...s.env, INGEST_MAX_BATCH_BYTES: String(96 * 1024), INGEST_MIN_INSERT_ROWS: '0' });
    const port = await w.port;
    await waitFor(
      'first rows',
      async () => (await metric(port, 'radar_ingest_rows_inserted_total')) >= 1000,
      120_000,
      w.output,
    );
    // Events keep coming (about 7 s) while another member joins the group and consumes nothing:
    // a rebalance takes partitions from the worker with batches in its queue; they come back
    // when the member leaves.
    const producing = (async () => {
      for (let i = 0; i < chunks; i++) {
        await produce(s.topic, good(chunk, first + i * chunk), chunk);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const other = newKafka('radar-test-member').consumer({ groupId: s.group });
    await other.connect();
    await other.subscribe({ topic: s.topic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => other.on(other.events.GROUP_JOIN, () => resolve()));
    await other.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: () => new Promise(() => {}),
    });
    other.pause([{ topic: s.topic }]);
    await joined;
    expect(await metric(port, 'radar_ingest_rows_inserted_total')).toBeLessThan(total); // mid-stream
    await new Promise((r) => setTimeout(r, 2000));
    await other.disconnect();
    await producing;
    await waitFor('the worker to commit everything', () => caughtUp(s.group, s.topic), 180_000, w.output);
    const assignments = w.output().match(/partitions assigned/g) ?? [];
    await stop(w);
    expect(assignments.length).toBeGreaterThanOrEqual(2); // the member joined, the member left
    expect(await stored(s.dataDir)).toEqual({ rows: total, final: total, requests: total, rollup: total });
  });

  it('keeps going through a broker restart without loss or duplicates', async () => {
    const s = setup(2);
    await s.create();
    await produce(s.topic, good(3000));
    const w = worker(s.env);
    const port = await w.port;
    await waitFor(
      'first rows',
      async () => (await metric(port, 'radar_ingest_rows_inserted_total')) > 0,
      120_000,
      w.output,
    );
    await restartBroker();
    await produce(s.topic, good(3000, 3000));
    await waitFor(
      'the worker to commit everything after the restart',
      () => caughtUp(s.group, s.topic),
      180_000,
      w.output,
    );
    await stop(w);
    expect(await stored(s.dataDir)).toEqual({ rows: 6000, final: 6000, requests: 6000, rollup: 6000 });
  });
});
