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

  it('finds bodies by parsing: escaped and differently cased keys, any depth', () => {
    const escaped = `{"auditID":"e","request\\u004fbject":{"p":"${VALUE}"},"RESPONSEOBJECT":"${VALUE}"}`;
    expect(escaped).toContain('\\u004f');
    const out = stripBodies(escaped, 1 << 20);
    expect(out).toMatchObject({ removed: 2, outline: false });
    expect(out.payload).not.toContain(VALUE);
    expect(JSON.parse(out.payload).auditID).toBe('e');
    const deep = { a: [{ b: { c: [{ d: { requestObject: VALUE } }] } }] };
    expect(stripBodies(JSON.stringify(deep), 1 << 20).payload).not.toContain(VALUE);
  });

  it('keeps only an outline of input it cannot read exactly', () => {
    const id = '0b5e2a4c-9a1e-4c3a-8f00-1234567890ab';
    const ev = JSON.stringify({ ...event('z'), auditID: id });
    const broken = `${ev.slice(0, -5)},,,`;
    const out = stripBodies(Buffer.from(broken), 1 << 20);
    expect(out).toMatchObject({ removed: 1, outline: true });
    expect(out.payload).not.toContain(VALUE);
    const o = JSON.parse(out.payload);
    expect(o).toMatchObject({ bytes: Buffer.byteLength(broken), event: { auditID: id } });
    expect(o.sha256).toMatch(/^[0-9a-f]{64}$/);
    // an escaped key in text that does not parse: no text match could find it
    const unparsed = `{"auditID":"x","request\\u004fbject":{"p":"${VALUE}"`;
    expect(stripBodies(unparsed, 1 << 20).payload).not.toContain(VALUE);
    // too large to parse
    expect(stripBodies(ev, 10)).toMatchObject({ outline: true });
    expect(stripBodies(ev, 10).payload).not.toContain(VALUE);
    // properties.log that is not JSON is dropped, not cut
    const aks = { category: 'kube-audit', properties: { log: `{"requestObject":{"p":"${VALUE}"` } };
    expect(stripBodies(JSON.stringify(aks), 1 << 20).payload).not.toContain(VALUE);
  });

  it('never keeps a body of invalid UTF-8, even when a bad byte breaks the key', () => {
    const text = Buffer.from(
      `{"auditID":"u","verb":"update","user":{"username":"bob"},"request\xffObject":{"p":"${VALUE}"},"x":"\xfe"}`,
      'latin1',
    );
    const out = stripBodies(text, 1 << 20);
    expect(out.outline).toBe(true);
    expect(out.payload).not.toContain(VALUE);
    expect(JSON.parse(out.payload).event).toEqual({
      auditID: 'u',
      verb: 'update',
      user: { username: 'bob' },
    });
  });

  it('keeps an outline of a document nested deeper than JSON.stringify can recurse', () => {
    const deep = `${'['.repeat(200_000)}{"requestObject":"${VALUE}"}${']'.repeat(200_000)}`;
    const out = stripBodies(deep, 1 << 20);
    expect(out.outline).toBe(true);
    expect(out.payload.includes(VALUE)).toBe(false);
  });

  it('leaves payloads without bodies as they were', () => {
    const text = '{"auditID":"q","verb":"get"}';
    expect(stripBodies(text, 1 << 20)).toEqual({ payload: text, removed: 0, outline: false });
  });
});
