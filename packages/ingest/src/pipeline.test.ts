import { parseUserAgent } from '@radar/client-identity';
import { createBodyConfig } from '@radar/field-paths';
import { describe, expect, it } from 'vitest';
import { decodeRows } from './encoded.js';
import { processBatch } from './pipeline.js';

const cfg = { tagger: { cluster: 'c', source: 'test' }, decode: { maxBytes: 1 << 20 } };
const VALUE = 'v4lue-never-stored';

const event = (id: string, verb: string, resource: string, body: unknown) =>
  JSON.stringify({
    auditID: id,
    stage: 'ResponseComplete',
    level: 'Request',
    verb,
    requestURI: `/api/v1/namespaces/ns/${resource}/x`,
    objectRef: { resource, namespace: 'ns', name: 'x', apiVersion: 'v1' },
    requestReceivedTimestamp: '2026-11-20T10:00:00Z',
    requestObject: body,
    responseObject: { data: { k: VALUE } },
  });

describe('processBatch with request bodies', () => {
  const messages = [
    event('s', 'update', 'secrets', { kind: 'Secret', data: { password: VALUE } }),
    event('p', 'patch', 'configmaps', [{ op: 'replace', path: '/data/key', value: VALUE }]),
    event('g', 'get', 'configmaps', { data: { k: VALUE } }),
    event('n', 'update', 'configmaps', VALUE),
  ].map((value, offset) => ({ value, partition: 0, offset }));

  it('stores the paths of writes, a reason for bodies that are not objects, and no value', () => {
    const out = processBatch(messages, cfg, { parseUserAgent, bodies: createBodyConfig() });
    const byId = Object.fromEntries(decodeRows(out.rows).map((r) => [r.audit_id, r]));
    expect(byId.s).toMatchObject({ request_paths: ['data', 'kind'], request_paths_status: 'complete' });
    expect(byId.p).toMatchObject({ request_paths: ['data'], request_paths_status: 'complete' });
    expect(byId.g).toMatchObject({ request_paths: [], request_paths_status: '' });
    expect(byId.n).toMatchObject({
      request_paths: [],
      request_paths_status: 'not-an-object',
      verb: 'update',
    });
    expect(Buffer.from(out.rows.body).toString()).not.toContain(VALUE);
  });

  it('drops bodies unread without a body configuration', () => {
    const out = processBatch(messages, cfg, { parseUserAgent });
    expect(
      decodeRows(out.rows).every((r) => r.request_paths.length === 0 && r.request_paths_status === ''),
    ).toBe(true);
    expect(Buffer.from(out.rows.body).toString()).not.toContain(VALUE);
  });
});

describe('processBatch: one row per request', () => {
  /** One message per [auditID, stage, requestReceivedTimestamp], at offsets 0, 1, ... */
  const run = (stages: [string, string, string][]) =>
    processBatch(
      stages.map(([id, stage, received], offset) => ({
        value: JSON.stringify({
          auditID: id,
          stage,
          verb: 'get',
          requestURI: '/api/v1/namespaces/ns/pods/p',
          objectRef: { resource: 'pods', namespace: 'ns', name: 'p', apiVersion: 'v1' },
          requestReceivedTimestamp: received,
        }),
        partition: 0,
        offset,
      })),
      cfg,
      { parseUserAgent },
    );
  const t1 = '2026-11-20T10:00:00.000001Z';
  const t2 = '2026-11-20T10:00:07.000002Z';

  it('keeps the most complete stage of each request, and unfinished requests once', () => {
    const out = run([
      ['a', 'RequestReceived', t1],
      ['b', 'RequestReceived', t1],
      ['a', 'ResponseComplete', t1],
      ['a', 'ResponseStarted', t1],
    ]);
    expect(decodeRows(out.rows).map((r) => [r.audit_id, r.stage, r.kafka_offset])).toEqual([
      ['a', 'ResponseComplete', 2],
      ['b', 'RequestReceived', 1],
    ]);
    expect(out.dropped['stage-superseded']).toBe(2);
  });

  it('keeps requests that reuse an audit ID with another receive time apart (anonymising collectors)', () => {
    const out = run([
      ['x', 'ResponseComplete', t1],
      ['x', 'RequestReceived', t2],
      ['x', 'ResponseComplete', t2],
      ['x', 'RequestReceived', t1],
    ]);
    // Rows carry the time in the one form the store reads exactly (milliseconds, UTC).
    expect(decodeRows(out.rows).map((r) => [r.ts, r.stage])).toEqual([
      ['2026-11-20T10:00:00.000Z', 'ResponseComplete'],
      ['2026-11-20T10:00:07.000Z', 'ResponseComplete'],
    ]);
    expect(out.dropped['stage-superseded']).toBe(2);
  });
});
