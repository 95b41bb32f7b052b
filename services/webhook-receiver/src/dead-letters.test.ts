import type { Rejected } from '@radar/ingest';
import { describe, expect, it } from 'vitest';
import { cutUtf8, MinuteBudget, planDeadLetters, wellFormed } from './dead-letters.js';

const SECRET = 'hunter2-7e1f9c';
const limits = { maxBytes: 16 * 1024, perRequest: 100, perMinute: 1000 };
const budget = () => new MinuteBudget(1_000_000);

/** An EventList body and the byte range of each item in it. */
function listOf(items: string[]): { body: Buffer; ranges: { start: number; end: number }[] } {
  let text = '{"kind":"EventList","items":[';
  const ranges: { start: number; end: number }[] = [];
  items.forEach((item, i) => {
    if (i > 0) text += ',';
    const start = Buffer.byteLength(text);
    text += item;
    ranges.push({ start, end: Buffer.byteLength(text) });
  });
  return { body: Buffer.from(`${text}]}`), ranges };
}

const rejected = (
  i: number,
  item?: { start: number; end: number },
  reason: Rejected['reason'] = 'invalid-event',
) => ({ index: 0, reason, detail: `items[${i}]: bad`, ...(item ? { item } : {}) }) as Rejected;

describe('planDeadLetters', () => {
  it('keeps each rejected item on its own, bodies removed however the key is escaped', () => {
    const items = [
      `{"auditID":"a","verb":"explode","request\\u004fbject":{"data":{"p":"${SECRET}"}}}`,
      '{"auditID":"b","verb":"get"}',
      `{"auditID":"c","verb":"explode","responseObject":"${SECRET}"}`,
    ];
    const { body, ranges } = listOf(items);
    const plan = planDeadLetters(
      body,
      [rejected(0, ranges[0]), rejected(2, ranges[2])],
      limits,
      budget(),
      1 << 20,
    );
    expect(plan.rows.map((r) => JSON.parse(r.payload).auditID)).toEqual(['a', 'c']);
    expect(plan.rows.map((r) => r.location)).toEqual([
      `bytes ${ranges[0]!.start}-${ranges[0]!.end} of the POST`,
      `bytes ${ranges[2]!.start}-${ranges[2]!.end} of the POST`,
    ]);
    for (const r of plan.rows) expect(r.payload).not.toContain(SECRET);
  });

  it('keeps an invalid UTF-8 item as an outline without its body', () => {
    const item = Buffer.concat([
      Buffer.from(`{"auditID":"u","verb":"update","requestObject":{"p":"${SECRET}\xff`, 'latin1'),
      Buffer.from('"}}'),
    ]);
    const body = Buffer.concat([Buffer.from('{"items":['), item, Buffer.from(']}')]);
    const plan = planDeadLetters(
      body,
      [rejected(0, { start: 10, end: 10 + item.length }, 'invalid-utf8')],
      limits,
      budget(),
      1 << 20,
    );
    const kept = JSON.parse(plan.rows[0]!.payload);
    expect(kept).toMatchObject({ bytes: item.length, event: { auditID: 'u', verb: 'update' } });
    expect(plan.rows[0]!.payload).not.toContain(SECRET);
  });

  it('falls back to the whole POST, stripped, cut and kept once, when the decoder gives no range', () => {
    const items = Array.from({ length: 300 }, (_, i) => `{"auditID":"${i}","requestObject":"${SECRET}"}`);
    const { body } = listOf(items);
    const plan = planDeadLetters(
      body,
      [rejected(0), rejected(1), rejected(0, { start: 5, end: 1 })],
      limits,
      budget(),
      1 << 20,
    );
    expect(plan.rows).toHaveLength(3);
    const [first, ...rest] = plan.rows;
    const id = /^the whole POST ([0-9a-f]{16}), first 16384 bytes kept$/.exec(first!.location)?.[1];
    expect(id).toBeDefined();
    expect(Buffer.byteLength(first!.payload)).toBeLessThanOrEqual(limits.maxBytes);
    expect(first!.payload.length).toBeGreaterThan(limits.maxBytes - 4);
    expect(first!.payload).not.toContain(SECRET);
    for (const r of rest)
      expect(r).toMatchObject({
        location: `the whole POST ${id}, kept with its first dead letter`,
        payload: '',
      });
  });

  it('caps rows per request, round-robin over reasons, and counts the rest by reason', () => {
    const junk = Array.from({ length: 5000 }, (_, i) => rejected(i, { start: 0, end: 1 }, 'not-an-event'));
    const rare = rejected(5000, { start: 0, end: 1 }, 'unknown-verb');
    const plan = planDeadLetters(
      Buffer.from('{'),
      [...junk, rare],
      { ...limits, perRequest: 10 },
      budget(),
      1 << 20,
    );
    expect(plan.rows).toHaveLength(10);
    expect(plan.rows.filter((r) => r.reason === 'unknown-verb')).toHaveLength(1);
    expect(plan.overRequestCap).toEqual({ 'not-an-event': 4991 });
    expect(plan.overMinuteCap).toEqual({});
  });

  it('shares one per-minute budget between requests and renews it each minute', () => {
    let now = 60_000 * 1000;
    const minute = new MinuteBudget(15, () => now);
    const many = Array.from({ length: 10 }, (_, i) => rejected(i, { start: 0, end: 1 }, 'invalid-json'));
    const first = planDeadLetters(Buffer.from('x'), many, limits, minute, 1 << 20);
    const second = planDeadLetters(Buffer.from('x'), many, limits, minute, 1 << 20);
    expect([first.rows.length, second.rows.length]).toEqual([10, 5]);
    expect(second.overMinuteCap).toEqual({ 'invalid-json': 5 });
    now += 60_000;
    expect(planDeadLetters(Buffer.from('x'), many, limits, minute, 1 << 20).rows).toHaveLength(10);
  });
});

describe('cutUtf8 and wellFormed', () => {
  it('cuts at a character boundary within the byte limit', () => {
    expect(cutUtf8('abc', 10)).toBe('abc');
    expect(cutUtf8('aé€😀', 3)).toBe('aé');
    expect(cutUtf8('aé€😀', 6)).toBe('aé€');
    expect(cutUtf8('aé€😀', 9)).toBe('aé€');
    expect(cutUtf8('aé€😀', 10)).toBe('aé€😀');
  });

  it('replaces lone surrogates, keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c😀')).toBe('a\ufffdb\ufffdc😀');
  });
});
