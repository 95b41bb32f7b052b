import { describe, expect, it } from 'vitest';
import { stripBodies } from './redact.js';

const VALUE = 's3cr3t-value-7f1c';
const event = (id: string) => ({
  auditID: id,
  verb: 'update',
  objectRef: { resource: 'secrets', namespace: 'ns', name: 'db' },
  requestObject: { data: { password: VALUE } },
  responseObject: { data: { password: VALUE } },
});

describe('stripBodies', () => {
  it('removes every body from an EventList and keeps the rest of each event', () => {
    const list = { kind: 'EventList', items: [event('a'), { auditID: 'b', verb: 42 }, event('c')] };
    const out = stripBodies(JSON.stringify(list), 1 << 20);
    expect(out.removed).toBe(4);
    expect(out.payload).not.toContain(VALUE);
    const back = JSON.parse(out.payload) as { items: { auditID: string; objectRef?: unknown }[] };
    expect(back.items.map((i) => i.auditID)).toEqual(['a', 'b', 'c']);
    expect(back.items[0]!.objectRef).toEqual({ resource: 'secrets', namespace: 'ns', name: 'db' });
  });

  it('removes bodies inside AKS records (log as a JSON string) and GKE records', () => {
    const aks = { category: 'kube-audit', properties: { log: JSON.stringify(event('x')) } };
    expect(stripBodies(JSON.stringify(aks), 1 << 20).payload).not.toContain(VALUE);
    const gke = {
      protoPayload: { methodName: 'io.k8s.core.v1.secrets.update', request: { data: { p: VALUE } } },
    };
    expect(stripBodies(JSON.stringify(gke), 1 << 20).payload).not.toContain(VALUE);
  });

  it('cuts input it cannot parse before the first body', () => {
    const broken = `${JSON.stringify(event('z')).slice(0, -5)},,,`;
    const out = stripBodies(Buffer.from(broken), 1 << 20);
    expect(out.payload).not.toContain(VALUE);
    expect(out.payload).toContain('"auditID":"z"');
    const escaped = `{"properties":{"log":"{\\"requestObject\\":{\\"p\\":\\"${VALUE}\\"}`;
    expect(stripBodies(escaped, 1 << 20).payload).not.toContain(VALUE);
    // too large to parse: cut the same way
    expect(stripBodies(JSON.stringify(event('big')), 10).payload).not.toContain(VALUE);
  });

  it('leaves payloads without bodies as they were', () => {
    const text = '{"auditID":"q","verb":"get"}';
    expect(stripBodies(text, 1 << 20)).toEqual({ payload: text, removed: 0 });
  });
});
