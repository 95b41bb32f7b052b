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
});
