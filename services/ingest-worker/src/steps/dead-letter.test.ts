import type { PartitionBatch } from '@radar/kafka';
import { AUDIT_COLUMNS } from '@radar/tagger';
import { describe, expect, it } from 'vitest';
import { MAX_DLQ_VALUE, refusedRecord, rejectedRecord, rowSource } from './dead-letter.js';

const line = (over: Partial<Record<(typeof AUDIT_COLUMNS)[number], unknown>>) =>
  JSON.stringify(AUDIT_COLUMNS.map((c) => over[c] ?? ''));

describe('dead letters', () => {
  it('a refused row carries its line, the engine message and the source position from its cells', () => {
    const row = line({ audit_id: 'r1', source: 'kafka:k8s-audit', kafka_partition: 3, kafka_offset: 1207 });
    const rec = refusedRecord({
      index: 5,
      auditId: 'r1',
      code: 469,
      message: 'Constraint violated',
      line: row,
    });
    expect(rec.key).toBe('r1');
    expect(rec.value.toString()).toBe(row);
    expect(rec.headers).toEqual({
      'radar-reason': 'refused-by-store',
      'radar-detail': 'Constraint violated',
      'radar-source-topic': 'k8s-audit',
      'radar-source-partition': '3',
      'radar-source-offset': '1207',
      'radar-truncated': 'false',
      'radar-bodies-removed': '0',
      'radar-engine-code': '469',
    });
  });

  it('says so when a row does not name its Kafka source, and still dead-letters it', () => {
    expect(rowSource('not json')).toMatchObject({ kind: 'dlq', reason: 'refused-by-store' });
    expect(rowSource(line({ source: 'file:audit.log', kafka_partition: 0, kafka_offset: 1 }))).toMatchObject({
      kind: 'dlq',
      detail: 'row does not name its Kafka source',
    });
    const rec = refusedRecord({
      index: 0,
      auditId: 'x',
      code: undefined,
      message: 'm'.repeat(5000),
      line: '[]',
    });
    expect(rec.headers?.['radar-source-offset']).toBeUndefined();
    expect(rec.headers?.['radar-detail']).toHaveLength(1000);
  });

  it('a rejected message keeps its bytes without bodies, or only its outline when unreadable', () => {
    const secret = JSON.stringify({ auditID: 'a', verb: 'nope', requestObject: { data: { k: 'hunter2' } } });
    const huge = Buffer.alloc(MAX_DLQ_VALUE + 10, 0x61);
    const batch: PartitionBatch = {
      topic: 'k8s-audit',
      partition: 1,
      messages: [
        { key: Buffer.from('a'), value: Buffer.from(secret), offset: '41' },
        { key: Buffer.from('b'), value: huge, offset: '42' },
      ],
    };
    const a = rejectedRecord(batch, 0, 'unknown-verb', 'verb: nope', 1 << 20);
    expect(a.value.toString()).not.toContain('hunter2');
    expect(a.headers).toMatchObject({
      'radar-reason': 'unknown-verb',
      'radar-source-partition': '1',
      'radar-source-offset': '41',
      'radar-bodies-removed': '1',
    });
    // Not JSON: it cannot be shown to hold no body, so only its outline is kept (size and hash).
    const b = rejectedRecord(batch, 1, 'invalid-json', 'x', 1 << 20);
    expect(JSON.parse(b.value.toString())).toMatchObject({ bytes: MAX_DLQ_VALUE + 10 });
    expect(b.value.length).toBeLessThan(1000);
    expect(b.headers?.['radar-truncated']).toBe('false');
  });

  it('a rejected message keeps the apiserver headers it came with (cut), so a replay keeps them', () => {
    const batch: PartitionBatch = {
      topic: 'k8s-audit',
      partition: 0,
      messages: [
        {
          key: null,
          value: Buffer.from('{"auditID":'),
          offset: '7',
          headers: { 'radar-apiserver': Buffer.from('cp-1'), 'radar-apiserver-version': 'v'.repeat(500) },
        },
        { key: null, value: Buffer.from('{'), offset: '8' },
      ],
    };
    const a = rejectedRecord(batch, 0, 'invalid-json', 'x', 1 << 20);
    expect(a.headers?.['radar-apiserver']).toBe('cp-1');
    expect(a.headers?.['radar-apiserver-version']).toHaveLength(200);
    expect(
      rejectedRecord(batch, 1, 'invalid-json', 'x', 1 << 20).headers?.['radar-apiserver'],
    ).toBeUndefined();
  });
});
