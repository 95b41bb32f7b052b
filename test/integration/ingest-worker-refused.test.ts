import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openStore } from '@radar/store';
import { describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import {
  caughtUp,
  committedOffsets,
  consumeAll,
  createTopic,
  endOffsets,
  produce,
  type TestMessage,
  uniqueName,
} from '../support/kafka.js';
import { metric, queryDataDir, type RadarProcess, startProcess, waitFor } from '../support/processes.js';

// Issue 15, worker side, on the real broker and the worker process as users run it: a row the
// engine refuses never blocks its partition, and a partition that cannot make progress for
// infrastructure reasons is reported. Value normalisation upstream removes lone surrogates and
// impossible times, so the refusal is a table constraint on a marker user agent
// (VIOLATED_CONSTRAINT, a data error), added to the data dir before the worker opens it.
const WORKER = 'services/ingest-worker/src/main.ts';
const POISON = 'poison-marker/1.0 (refused by a test constraint)';

/** A migrated data dir, changed by `sql` before any worker opens it. */
async function prepareDataDir(sql: string[]): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'radar-worker-refused-'));
  const store = await openStore({ dataDir, database: 'radar' });
  try {
    await migrate(store);
    for (const query of sql) await store.client.command({ query });
  } finally {
    await store.close();
  }
  return dataDir;
}

async function stop(w: RadarProcess): Promise<void> {
  w.child.kill('SIGTERM');
  expect(await w.exited, w.output().slice(-2000)).toBe(0);
}

const good = (n: number, offset: number): TestMessage[] =>
  Array.from({ length: n }, (_, i) => {
    const ev = auditEvent({}, offset + i);
    return { key: String(ev.auditID), value: JSON.stringify(ev) };
  });

const counts = (dir: string) =>
  queryDataDir<{ rows: number; final: number; requests: number; rollup: number; poison: number }>(
    dir,
    `SELECT (SELECT count() FROM audit_events) AS rows, (SELECT count() FROM audit_events FINAL) AS final,
            (SELECT uniqExact(audit_id, ts) FROM audit_events) AS requests,
            (SELECT sum(n) FROM (SELECT uniqMerge(requests) AS n FROM audit_daily GROUP BY ALL)) AS rollup,
            (SELECT count() FROM audit_events WHERE user_agent = '${POISON}') AS poison`,
  ).then((r) => r[0]!);

describe('ingest worker: rows the engine refuses, and partitions that cannot progress', () => {
  it('dead-letters the refused event with the engine message, stores every other once, commits', async () => {
    const topic = uniqueName('audit');
    const group = uniqueName('ingest');
    await createTopic(topic, 2);
    const dataDir = await prepareDataDir([
      `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    ]);
    await produce(topic, good(150, 0));
    const poisonOffset = (await endOffsets(topic)).get(1)!;
    const poison = auditEvent({ userAgent: POISON }, 5000);
    await produce(topic, [{ key: String(poison.auditID), value: JSON.stringify(poison), partition: 1 }]);
    await produce(topic, good(150, 150));

    const w = startProcess(WORKER, {
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: group,
      RADAR_DATA_DIR: dataDir,
      RADAR_CLUSTER_NAME: 'it',
    });
    const port = await w.port;
    await waitFor('the worker to commit everything', () => caughtUp(group, topic), 120_000, w.output);
    expect(await metric(port, 'radar_ingest_rows_inserted_total')).toBe(300);
    expect(await metric(port, 'radar_ingest_rejected_total')).toBe(1);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    await stop(w);

    expect(await counts(dataDir)).toEqual({ rows: 300, final: 300, requests: 300, rollup: 300, poison: 0 });
    const [dead] = await consumeAll(`${topic}.dlq`, 1);
    expect(dead!.key).toBe(poison.auditID);
    expect(dead!.headers['radar-reason']).toBe('refused-by-store');
    expect(dead!.headers['radar-detail']).toMatch(/Constraint `no_poison`.*VIOLATED_CONSTRAINT/s);
    expect(dead!.headers['radar-source-topic']).toBe(topic);
    expect(dead!.headers['radar-source-partition']).toBe('1');
    expect(dead!.headers['radar-source-offset']).toBe(String(poisonOffset));
    expect(dead!.value).toContain(POISON);
  });

  it('findings 1-2: lone surrogates are stored as U+FFFD, impossible times dead-lettered, nothing blocks', async () => {
    const topic = uniqueName('audit');
    const group = uniqueName('ingest');
    await createTopic(topic, 2);
    const dataDir = await prepareDataDir([]);
    // Raw JSON text: the lone surrogates travel as \ud800 escapes, as a hostile apiserver log has them.
    const raw = (ev: Record<string, unknown>) => ({ key: String(ev.auditID), value: JSON.stringify(ev) });
    const surrogates = [
      auditEvent({ userAgent: 'bad-\ud800-agent/1.0' }, 900),
      auditEvent({ namespace: 'ns-\udfff' }, 901),
      { ...auditEvent({}, 902), auditID: 'id-\ud83d-x' },
    ].map((ev) => ({ key: String(ev.auditID), value: JSON.stringify(ev).replaceAll('\\\\u', '\\u') }));
    const badTimes = ['0', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z'].map((t, i) =>
      raw({ ...auditEvent({}, 950 + i), requestReceivedTimestamp: t, stageTimestamp: t }),
    );
    await produce(topic, [...good(100, 0), ...surrogates, ...badTimes, ...good(100, 100)]);

    const w = startProcess(WORKER, { KAFKA_TOPIC: topic, KAFKA_GROUP_ID: group, RADAR_DATA_DIR: dataDir });
    const port = await w.port;
    await waitFor('the worker to commit everything', () => caughtUp(group, topic), 120_000, w.output);
    expect(await metric(port, 'radar_ingest_rows_inserted_total')).toBe(203);
    expect(await metric(port, 'radar_ingest_rejected_total')).toBe(3);
    await stop(w);

    const [c] = await queryDataDir<{ rows: number; final: number; fixed: number }>(
      dataDir,
      `SELECT count() AS rows, (SELECT count() FROM audit_events FINAL) AS final,
              countIf(position(user_agent, '\u{FFFD}') > 0 OR position(namespace, '\u{FFFD}') > 0
                      OR position(audit_id, '\u{FFFD}') > 0) AS fixed
       FROM audit_events`,
    );
    expect(c).toEqual({ rows: 203, final: 203, fixed: 3 });
    const dead = await consumeAll(`${topic}.dlq`, 3);
    expect(dead.map((d) => d.headers['radar-reason'])).toEqual(Array(3).fill('invalid-timestamp'));
  });

  it('turns /healthz red naming a partition whose inserts keep failing, commits nothing, then recovers', async () => {
    const topic = uniqueName('audit');
    const group = uniqueName('ingest');
    await createTopic(topic, 1);
    // One part in the events' day partition and parts_to_throw_insert = 1: every insert there is
    // refused with TOO_MANY_PARTS, an infrastructure error (retried, never dead-lettered).
    const dataDir = await prepareDataDir([
      "INSERT INTO audit_events (audit_id, ts, cluster) VALUES ('seed', '2026-11-20 09:00:00', 'seed')",
      'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 1',
    ]);
    await produce(topic, good(50, 0));
    const env = {
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: group,
      RADAR_DATA_DIR: dataDir,
      RADAR_CLUSTER_NAME: 'it',
      INGEST_STALL_S: '2',
      INGEST_RETRY_MAX_MS: '500',
      INGEST_SHUTDOWN_GRACE_MS: '1000',
    };
    const w = startProcess(WORKER, env);
    const port = await w.port;
    let problem = '';
    await waitFor(
      '/healthz to report the stalled partition',
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        problem = ((await res.json()) as { problem?: string }).problem ?? '';
        return res.status === 503;
      },
      60_000,
      w.output,
    );
    expect(problem).toContain(`${topic}/0`);
    expect(await metric(port, 'radar_ingest_partition_stalled')).toBe(1);
    expect(await metric(port, 'radar_ingest_retries_total')).toBeGreaterThan(0);
    expect(await metric(port, 'radar_ingest_rows_inserted_total')).toBe(0);
    expect(await metric(port, 'radar_ingest_rejected_total')).toBe(0);
    expect((await committedOffsets(group, topic)).get(0)).toBe(-1);
    await stop(w);

    // The store recovers: the next worker stores every event once and is healthy.
    const store = await openStore({ dataDir, database: 'radar' });
    await store.client.command({
      query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 3000',
    });
    await store.close();
    const again = startProcess(WORKER, env);
    const port2 = await again.port;
    await waitFor('the worker to commit everything', () => caughtUp(group, topic), 120_000, again.output);
    expect(await metric(port2, 'radar_ingest_partition_stalled')).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port2}/healthz`)).status).toBe(200);
    await stop(again);
    const c = await counts(dataDir);
    expect({ rows: c.rows, final: c.final }).toEqual({ rows: 51, final: 51 });
  });
});
