import { describe, expect, it } from 'vitest';
import { auditEventSchema } from './event.js';
import { quickEvent } from './quick.js';

const full = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: '0f1e2d3c',
  stage: 'ResponseComplete',
  requestURI: '/apis/apps/v1/namespaces/a/deployments/web?timeout=32s',
  verb: 'update',
  user: { username: 'alice', uid: 'u-1', groups: ['system:authenticated'], extra: { k: ['v'] } },
  impersonatedUser: null,
  sourceIPs: ['10.0.0.1'],
  userAgent: 'kubectl/v1.24.4 (linux/amd64) kubernetes/95ee5ab',
  objectRef: {
    resource: 'deployments',
    namespace: 'a',
    name: 'web',
    apiGroup: 'apps',
    apiVersion: 'v1',
    uid: 'x',
  },
  responseStatus: { metadata: {}, code: 200 },
  requestObject: { spec: { replicas: 3 } },
  requestReceivedTimestamp: '2026-11-20T10:00:00.123456Z',
  stageTimestamp: '2026-11-20T10:00:00.200000Z',
  annotations: { 'authorization.k8s.io/decision': 'allow', 'k8s.io/deprecated': 'true' },
};
const zod = (v: unknown) => auditEventSchema.safeParse(v);

describe('quickEvent', () => {
  it('gives what the schema gives for an ordinary event: known keys only, in new objects', () => {
    const q = quickEvent(full);
    expect(q).toStrictEqual(zod(full).data);
    expect(q?.user).toStrictEqual({ username: 'alice', groups: ['system:authenticated'] });
    expect(q?.annotations).toStrictEqual({ 'k8s.io/deprecated': 'true' });
    expect(q?.requestObject).toBe(full.requestObject);
  });

  it("fills the schema's defaults and keeps nulls where the schema allows them", () => {
    const bare = { auditID: 'a', stage: 'Panic', verb: 'get' };
    expect(quickEvent(bare)).toStrictEqual({ ...bare, requestURI: '', user: {} });
    expect(quickEvent(bare)).toStrictEqual(zod(bare).data);
    const nulls = { ...bare, objectRef: null, responseStatus: null, annotations: null, requestObject: null };
    expect(quickEvent(nulls)).toStrictEqual(zod(nulls).data);
    const empty = { ...bare, responseStatus: {}, objectRef: {}, annotations: {} };
    expect(quickEvent(empty)).toStrictEqual(zod(empty).data);
  });

  it('leaves every input the schema refuses to zod, which words the error', () => {
    const bad: Record<string, unknown>[] = [
      { auditID: '' },
      { auditID: 'x'.repeat(257) },
      { auditID: 7 },
      { verb: '' },
      { verb: 'v'.repeat(65) },
      { stage: null },
      { apiVersion: 'audit.k8s.io/v2' },
      { level: 'metadata' },
      { requestURI: null },
      { user: null },
      { user: ['alice'] },
      { user: { groups: ['a', 1] } },
      { user: { username: 1 } },
      { impersonatedUser: 'bob' },
      { sourceIPs: '10.0.0.1' },
      { sourceIPs: [null] },
      { userAgent: 1 },
      { objectRef: { resource: 1 } },
      { objectRef: [] },
      { responseStatus: { code: 1.5 } },
      { responseStatus: { code: 65536 } },
      { responseStatus: { code: -1 } },
      { responseStatus: { code: '200' } },
      { responseStatus: { code: null } },
      { requestReceivedTimestamp: 1 },
      { stageTimestamp: null },
      { timestamp: {} },
      { annotations: { 'k8s.io/removed-release': 1.22 } },
      { annotations: 'x' },
    ];
    for (const over of bad) {
      const ev = { ...full, ...over };
      expect(quickEvent(ev), JSON.stringify(over)).toBeUndefined();
      expect(zod(ev).success, JSON.stringify(over)).toBe(false);
    }
    for (const v of [null, 'x', 1, [full], new Map()]) expect(quickEvent(v)).toBeUndefined();
  });

  it('leaves objects JSON.parse never makes to zod', () => {
    class Ev {
      auditID = 'a';
      stage = 'Panic';
      verb = 'get';
    }
    expect(quickEvent(new Ev())).toBeUndefined();
    expect(quickEvent({ ...full, user: new Map() })).toBeUndefined();
  });

  it('reads every key the schema reads: a key added to the schema and not here fails this test', () => {
    // The guard's verdicts were once lost this way: the schema learned their keys, this check did not.
    const annotationKeys = Object.keys(
      (auditEventSchema.shape.annotations.unwrap().unwrap() as unknown as { shape: object }).shape,
    );
    const every: Record<string, unknown> = {
      ...full,
      impersonatedUser: { username: 'bob' },
      timestamp: '2026-11-20T10:00:00.100000Z',
      annotations: Object.fromEntries(annotationKeys.map((k) => [k, 'v'])),
    };
    expect(Object.keys(auditEventSchema.shape).filter((k) => !(k in every))).toEqual([]);
    const zod = auditEventSchema.parse(every);
    expect(Object.keys(zod.annotations ?? {}).sort()).toEqual([...annotationKeys].sort());
    expect(quickEvent(every)).toEqual(zod);
  });
});
