import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartitionBatch, Producer } from '@radar/kafka';
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
