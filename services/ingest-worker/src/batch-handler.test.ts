import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartitionBatch, ProducedRecord, Producer } from '@radar/kafka';
import { createLogger, Registry } from '@radar/observability';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchHandler } from './batch-handler.js';
import { DecodePool } from './decode/pool.js';
import { testDecoderConfig } from './decode/testing.js';
import { createIngestMetrics } from './metrics.js';

// The handler against the real embedded engine made to refuse inserts the way an overloaded
// ClickHouse does (TOO_MANY_PARTS); Kafka's side is the handler's own small interface.
const event = (i: number) =>
  Buffer.from(
    JSON.stringify({
      auditID: `req-${i}`,
      stage: 'ResponseComplete',
      verb: 'update',
      requestURI: `/api/v1/namespaces/ns/configmaps/c${i}`,
      userAgent: 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
      objectRef: { resource: 'configmaps', namespace: 'ns', name: `c${i}`, apiVersion: 'v1' },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: '2026-11-20T10:00:00.000000Z',
    }),
  );
const batch = (from: number, to: number): PartitionBatch => ({
  topic: 'audit',
  partition: 0,
  messages: Array.from({ length: to - from }, (_, k) => ({
    key: null,
    value: event(from + k),
    offset: String(from + k),
  })),
});

describe('batch handler when ClickHouse refuses inserts', () => {
  let store: Store;
  // The worker's real decode thread: batches cross to it and come back encoded.
  const pool = new DecodePool(testDecoderConfig(), 1);
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-handler-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(async () => {
    await pool.close();
    await store.close();
  });

  it('commits nothing while inserts fail, then stores each request once and commits in order', async () => {
    const commits: string[] = [];
    const registry = new Registry();
    const metrics = createIngestMetrics(registry);
    const retries = async () => (await metrics.retries.get()).values.reduce((a, v) => a + v.value, 0);
    const dlq: Producer = { send: async () => {}, close: async () => {} };
    const { handler, drain } = createBatchHandler(
      {
        pipeline: { cluster: 'c', decode: { maxBytes: 1 << 20 } },
        dlqTopic: 'audit.dlq',
        retryMaxMs: 200,
        maxQueuedBatches: 4,
        maxInsertRows: 1000,
        minInsertRows: 0,
        insertLingerMs: 0,
        stallMs: 60_000,
      },
      {
        store,
        dlq,
        decoder: pool,
        metrics,
        log: createLogger('test', 'silent'),
        commit: async (_t, p, offset) => void commits.push(`${p}:${offset}`),
        rewind: (_t, p, offset) => void commits.push(`rewind ${p}:${offset}`),
      },
    );
    const ctl = {
      heartbeat: async () => {},
      canContinue: () => true,
      commit: async () => {},
      advance: () => {},
    };

    await handler(batch(0, 10), ctl);
    await drain();
    expect(commits).toEqual(['0:9']);

    // Two parts already: with parts_to_throw_insert = 1 every insert now fails.
    await store.client.command({ query: 'SYSTEM STOP MERGES audit_events' });
    await handler(batch(10, 20), ctl);
    await drain();
    await store.client.command({
      query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 1',
    });
    await handler(batch(20, 30), ctl);
    await handler(batch(30, 40), ctl);
    while ((await retries()) < 2) await new Promise((r) => setTimeout(r, 20)); // two refused attempts
    expect(commits).toEqual(['0:9', '0:19']);

    await store.client.command({
      query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 3000',
    });
    await drain();
    expect(commits).toEqual(['0:9', '0:19', '0:29', '0:39']);
    const rs = await store.client.query({
      query: 'SELECT count() AS n, uniqExact(audit_id) AS u FROM audit_events',
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 40, u: 40 }]);
  });
});

describe('batch handler when ClickHouse refuses rows or keeps failing', () => {
  let store: Store;
  const pool = new DecodePool(testDecoderConfig(), 1);
  const POISON = 'poison-marker/1.0';
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-handler2-')), database: 'radar' });
    await migrate(store);
    await store.client.command({
      query: `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    });
  });
  afterAll(async () => {
    await pool.close();
    await store.close();
  });

  const setup = (now?: () => number) => {
    const commits: string[] = [];
    const dead: ProducedRecord[] = [];
    const registry = new Registry();
    const metrics = createIngestMetrics(registry);
    const dlq: Producer = { send: async (_t, records) => void dead.push(...records), close: async () => {} };
    const h = createBatchHandler(
      {
        pipeline: { cluster: 'c', decode: { maxBytes: 1 << 20 } },
        dlqTopic: 'audit.dlq',
        retryMaxMs: 200,
        maxQueuedBatches: 4,
        maxInsertRows: 1000,
        minInsertRows: 0,
        insertLingerMs: 0,
        stallMs: 5_000,
      },
      {
        store,
        dlq,
        decoder: pool,
        metrics,
        log: createLogger('test', 'silent'),
        commit: async (_t, p, offset) => void commits.push(`${p}:${offset}`),
        rewind: (_t, p, offset) => void commits.push(`rewind ${p}:${offset}`),
        ...(now ? { now } : {}),
      },
    );
    return { ...h, commits, dead, metrics, registry };
  };
  const ctl = {
    heartbeat: async () => {},
    canContinue: () => true,
    commit: async () => {},
    advance: () => {},
  };
  const poisoned = (from: number, to: number, bad: number): PartitionBatch => {
    const b = batch(from, to);
    const m = b.messages[bad - from]!;
    m.value = Buffer.from(JSON.stringify({ ...JSON.parse(String(m.value)), userAgent: POISON }));
    return b;
  };

  it('dead-letters the row the store refuses, stores the others once and commits', async () => {
    const h = setup();
    await h.handler(poisoned(100, 110, 104), ctl);
    await h.handler(batch(110, 120), ctl);
    await h.drain();
    expect(h.commits).toEqual(['0:109', '0:119']);
    expect(
      h.dead.map((r) => [r.key, r.headers?.['radar-reason'], r.headers?.['radar-source-offset']]),
    ).toEqual([['req-104', 'refused-by-store', '104']]);
    expect(h.dead[0]!.headers?.['radar-detail']).toMatch(/VIOLATED_CONSTRAINT/);
    expect((await h.metrics.rowsInserted.get()).values[0]!.value).toBe(19);
    const rs = await store.client.query({
      query: "SELECT count() AS n, uniqExact(audit_id) AS u FROM audit_events WHERE audit_id LIKE 'req-1__'",
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 19, u: 19 }]);
  });

  it('names a partition whose inserts keep failing as stalled after stallMs, and clears it once stored', async () => {
    let t = 0;
    const h = setup(() => t);
    const gauge = async () =>
      (await h.registry.getSingleMetricAsString('radar_ingest_partition_stalled')).trim();
    await h.handler(batch(200, 205), ctl);
    await h.drain();
    // One part in the day's partition: with parts_to_throw_insert = 1 every insert is refused.
    await store.client.command({ query: 'SYSTEM STOP MERGES audit_events' });
    await store.client.command({
      query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 1',
    });
    try {
      await h.handler(batch(205, 210), ctl);
      while ((await h.metrics.retries.get()).values.length === 0) await new Promise((r) => setTimeout(r, 20));
      t += 4_999;
      expect(h.stalled()).toEqual([]);
      t += 1;
      expect(h.stalled().map((p) => [p.topic, p.partition, p.pending])).toEqual([['audit', 0, 1]]);
      expect(await gauge()).toContain('radar_ingest_partition_stalled{topic="audit",partition="0"} 1');
    } finally {
      await store.client.command({
        query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 3000',
      });
      await store.client.command({ query: 'SYSTEM START MERGES audit_events' });
    }
    await h.drain();
    expect(h.commits).toEqual(['0:204', '0:209']);
    expect(h.stalled()).toEqual([]);
    expect(await gauge()).toContain('radar_ingest_partition_stalled{topic="audit",partition="0"} 0');
  });
});
