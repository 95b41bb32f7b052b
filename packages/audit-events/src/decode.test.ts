import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode.js';

// Real audit samples committed under testdata/audit (provenance in its SOURCES.md).
const SAMPLES = resolve(import.meta.dirname, '../../../testdata/audit');
const lines = (f: string) => {
  const bytes = readFileSync(resolve(SAMPLES, f));
  return (f.endsWith('.gz') ? gunzipSync(bytes) : bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim());
};

const good = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: '6c1b7a9e-0000-4000-8000-000000000001',
  stage: 'ResponseComplete',
  requestURI: '/apis/networking.k8s.io/v1beta1/namespaces/web/ingresses/shop',
  verb: 'update',
  user: { username: 'system:serviceaccount:web:deployer', groups: ['system:authenticated'] },
  userAgent: 'kubectl/v1.16.3 (linux/amd64) kubernetes/b3cbbae',
  objectRef: {
    resource: 'ingresses',
    namespace: 'web',
    name: 'shop',
    apiGroup: 'networking.k8s.io',
    apiVersion: 'v1beta1',
  },
  responseStatus: { code: 200 },
  requestReceivedTimestamp: '2026-11-20T10:00:00.000000Z',
  stageTimestamp: '2026-11-20T10:00:00.010000Z',
};

describe('decodeMessage', () => {
  it('accepts every real audit.k8s.io event in the shared corpora', () => {
    for (const f of [
      'audit2rbac-demo-2017.v1beta1.jsonl.gz',
      'falco-k8s-audit-trace-files.jsonl',
      'github-issue-pasted-events.jsonl',
    ]) {
      for (const l of lines(f)) {
        const [r, ...more] = decodeMessage(l);
        expect(more).toEqual([]);
        expect(r?.kind, `${f}: ${r?.kind === 'dlq' ? r.detail : ''}`).toBe('ok');
      }
    }
  });

  it('unwraps AKS records (object and JSON string) and GKE records', () => {
    const mixed = lines('elastic-integrations-test-audit.log').flatMap((l) => decodeMessage(l));
    expect(mixed.map((r) => r.kind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const gke = mixed[3]!;
    expect(gke.kind === 'ok' && gke.value.userAgent).toBe('gke-master-healthcheck');
    const [aks] = decodeMessage(lines('elastic-integrations-test-kube-audit.log')[0]!);
    expect(aks?.kind === 'ok' && aks.value.verb).toBe('update');
    expect(aks?.kind === 'ok' && aks.value.userAgent).toBe(
      'approver/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election',
    );
  });

  it('splits an EventList: one bad item gets a reason, the others pass', () => {
    const list = {
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [good, { ...good, verb: 'explode' }, { ...good, auditID: 5 }],
    };
    const rs = decodeMessage(JSON.stringify(list));
    expect(rs.map((r) => r.kind)).toEqual(['ok', 'dlq', 'dlq']);
    expect(rs[1]).toMatchObject({ reason: 'unknown-verb', detail: 'items[1]: verb: "explode"' });
    expect(rs[2]).toMatchObject({ reason: 'invalid-event' });
    expect(rs[2]!.kind === 'dlq' && rs[2]!.detail).toMatch(/^items\[2\]: auditID:/);
  });

  it('names the reason for each kind of bad input', () => {
    const reasonOf = (m: Buffer | string, max?: number) => {
      const [r] = decodeMessage(m, max ? { maxBytes: max } : undefined);
      return r?.kind === 'dlq' ? r.reason : r?.kind;
    };
    expect(reasonOf(JSON.stringify(good).slice(0, 80))).toBe('invalid-json');
    expect(reasonOf(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toBe('invalid-utf8');
    expect(reasonOf(JSON.stringify({ ...good, verb: 42 }))).toBe('invalid-event');
    expect(reasonOf(JSON.stringify({ ...good, stage: 'Later' }))).toBe('unknown-stage');
    expect(
      reasonOf(JSON.stringify({ ...good, requestReceivedTimestamp: undefined, stageTimestamp: 'nope' })),
    ).toBe('missing-timestamp');
    expect(reasonOf('"just a string"')).toBe('not-an-event');
    expect(reasonOf(JSON.stringify({ hello: 'world' }))).toBe('not-an-event');
    expect(reasonOf('x'.repeat(2000), 1000)).toBe('too-large');
  });

  it('accepts a v1beta1 event without userAgent and with only `timestamp`', () => {
    const [r] = decodeMessage(lines('audit2rbac-demo-2017.v1beta1.jsonl.gz')[0]!);
    expect(r?.kind === 'ok' && r.value.userAgent).toBeUndefined();
    expect(r?.kind === 'ok' && r.value.timestamp).toBe('2017-09-11T19:55:05Z');
  });

  it('accepts a 5,000-event EventList over the per-event limit item by item', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({
      ...good,
      auditID: `6c1b7a9e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      annotations: { note: 'n'.repeat(800) },
    }));
    const body = Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }));
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    const rs = decodeMessage(body, { maxBytes: 4 * 1024 * 1024 });
    expect(rs).toHaveLength(5000);
    expect(rs.filter((r) => r.kind === 'ok')).toHaveLength(5000);
    expect(rs[4999]!.kind === 'ok' && rs[4999]!.value.auditID).toBe(items[4999]!.auditID);
  });

  it('rejects one invalid UTF-8 item alone, with its byte range, and keeps its siblings', () => {
    const bad = Buffer.concat([
      Buffer.from('{"kind":"Event","userAgent":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const body = Buffer.concat([
      Buffer.from('{"kind":"EventList","items":['),
      Buffer.from(JSON.stringify(good)),
      Buffer.from(', '),
      bad,
      Buffer.from(','),
      Buffer.from(JSON.stringify({ ...good, auditID: 'second' })),
      Buffer.from(']}'),
    ]);
    const rs = decodeMessage(body);
    expect(rs.map((r) => (r.kind === 'dlq' ? r.reason : r.kind))).toEqual(['ok', 'invalid-utf8', 'ok']);
    const r = rs[1]!;
    expect(r.kind === 'dlq' && r.detail).toBe('items[1]: item is not valid UTF-8');
    expect(r.kind === 'dlq' && r.item && body.subarray(r.item.start, r.item.end)).toEqual(bad);
  });

  it('rejects an oversized item alone and a list over the document cap whole', () => {
    const list = [
      good,
      { ...good, auditID: 'big', annotations: { x: 'x'.repeat(5000) } },
      { ...good, auditID: 'c' },
    ];
    const text = JSON.stringify(list);
    const rs = decodeMessage(text, { maxBytes: 2000 });
    expect(rs.map((r) => (r.kind === 'dlq' ? r.reason : r.kind))).toEqual(['ok', 'too-large', 'ok']);
    const r = rs[1]!;
    expect(r.kind === 'dlq' && r.detail).toMatch(/^\[1\]: \d+ bytes > limit 2000$/);
    expect(r.kind === 'dlq' && r.item && JSON.parse(text.slice(r.item.start, r.item.end))).toEqual(list[1]);
    expect(decodeMessage(text, { maxBytes: 2000, maxDocumentBytes: 4000 })).toEqual([
      { kind: 'dlq', reason: 'too-large', detail: `${text.length} bytes > limit 2000` },
    ]);
  });

  it('gives rejected items of a list taken whole their byte range too', () => {
    const body = JSON.stringify({ kind: 'EventList', items: [good, { ...good, verb: 'explode' }] });
    const [, r] = decodeMessage(Buffer.from(body));
    expect(r?.kind === 'dlq' && r.item && JSON.parse(body.slice(r.item.start, r.item.end))).toEqual({
      ...good,
      verb: 'explode',
    });
  });

  it('keeps the items before a break in a list and rejects the rest with its range', () => {
    const body = `[${JSON.stringify(good)}, {"kind": "Event", "verb": ]`;
    const rs = decodeMessage(body);
    expect(rs.map((r) => (r.kind === 'dlq' ? r.reason : r.kind))).toEqual(['ok', 'invalid-json']);
    const r = rs[1]!;
    expect(r.kind === 'dlq' && r.item).toEqual({ start: JSON.stringify(good).length + 3, end: body.length });
  });
});
