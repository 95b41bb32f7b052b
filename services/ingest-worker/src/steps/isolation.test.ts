import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUserAgent } from '@radar/client-identity';
import { processBatch } from '@radar/ingest';
import type { ProducedRecord, Producer } from '@radar/kafka';
import { createLogger, Registry } from '@radar/observability';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestMetrics } from '../metrics.js';
import { createInsertStep } from './isolation.js';

// The insert step on the real embedded engine, made to refuse a marker user agent by a table
// constraint (VIOLATED_CONSTRAINT); Kafka's side is the producer's small interface.
const POISON = 'poison-marker/1.0';
const rows = (from: number, n: number, poisoned: number[]) =>
  processBatch(
    Array.from({ length: n }, (_, k) => ({
      value: JSON.stringify({
        auditID: `iso-${from + k}`,
        stage: 'ResponseComplete',
        verb: 'get',
        requestURI: `/api/v1/namespaces/ns/pods/p${k}`,
        userAgent: poisoned.includes(from + k) ? POISON : 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
        objectRef: { resource: 'pods', namespace: 'ns', name: `p${k}`, apiVersion: 'v1' },
        responseStatus: { code: 200 },
        requestReceivedTimestamp: '2026-11-20T10:00:00.000000Z',
      }),
      partition: 2,
      offset: from + k,
    })),
    { tagger: { cluster: 'c', source: 'kafka:k8s-audit' }, decode: { maxBytes: 1 << 20 } },
    { parseUserAgent },
  ).rows;

describe('insert step: rows the store refuses go to the DLQ', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({
      dataDir: mkdtempSync(join(tmpdir(), 'radar-insert-step-')),
      database: 'radar',
    });
    await migrate(store);
    await store.client.command({
      query: `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    });
  });
  afterAll(() => store.close());

  const setup = (failSends = 0) => {
    const sent: { topic: string; records: ProducedRecord[] }[] = [];
    let failures = failSends;
    const dlq: Producer = {
      send: async (topic, records) => {
        if (failures-- > 0) throw new Error('broker unavailable');
        sent.push({ topic, records });
      },
      close: async () => {},
    };
    const metrics = createIngestMetrics(new Registry());
    const step = createInsertStep({
      store,
      dlq,
      dlqTopic: 'k8s-audit.dlq',
      metrics,
      log: createLogger('t', 'silent'),
    });
    return { step, sent, metrics };
  };
  const stored = async (prefix: string) => {
    const rs = await store.client.query({
      query: 'SELECT count() AS n FROM audit_events WHERE match(audit_id, {p:String})',
      query_params: { p: prefix },
      format: 'JSONEachRow',
    });
    return Number((await rs.json<{ n: number }>())[0]!.n);
  };

  it('stores the rest, dead-letters each refused row with its source offset, and counts it', async () => {
    const { step, sent, metrics } = setup();
    expect(await step(rows(0, 20, [4, 13]), 'k8s-audit-2-0-19', 1)).toEqual({ refused: 2 });
    expect(await stored('^iso-\\d+$')).toBe(18);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.topic).toBe('k8s-audit.dlq');
    expect(
      sent[0]!.records.map((r) => [
        r.key,
        r.headers?.['radar-source-partition'],
        r.headers?.['radar-source-offset'],
      ]),
    ).toEqual([
      ['iso-4', '2', '4'],
      ['iso-13', '2', '13'],
    ]);
    expect(sent[0]!.records[0]!.headers?.['radar-detail']).toMatch(/VIOLATED_CONSTRAINT/);
    expect((await metrics.rejected.get()).values).toEqual([
      expect.objectContaining({ labels: { reason: 'refused-by-store' }, value: 2 }),
    ]);
  });

  it('a failed DLQ send throws (the queue retries); the retry stores nothing twice and sends again', async () => {
    const { step, sent } = setup(1);
    const batch = rows(100, 10, [105]);
    await expect(step(batch, 'k8s-audit-2-100-109', 1)).rejects.toThrow('broker unavailable');
    expect(await stored('^iso-10\\d$')).toBe(9); // the good rows were stored before the send failed
    expect(await step(batch, 'k8s-audit-2-100-109', 2)).toEqual({ refused: 1 });
    expect(await stored('^iso-10\\d$')).toBe(9);
    expect(sent.flatMap((s) => s.records.map((r) => r.key))).toEqual(['iso-105']);
  });
});
