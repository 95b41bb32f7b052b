import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError, readAuditRecords } from './file.js';

function* chunks(buf: Buffer, size: number) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(buf: Buffer) {
  const out: string[] = [];
  for await (const r of readAuditRecords('in.log', Readable.from([buf])))
    out.push(`${r.where} ${r.data?.toString() ?? `rejected ${r.rejected?.reason}`}`);
  return out;
}

describe('readAuditRecords', () => {
  it('reads JSON lines, skipping blank lines and keeping line numbers', async () => {
    expect(await collect(Buffer.from('{"a":1}\n\n{"b":2}\r\n{"c"'))).toEqual([
      'in.log:1 {"a":1}',
      'in.log:3 {"b":2}',
      'in.log:4 {"c"',
    ]);
  });

  it('detects gzip by magic bytes', async () => {
    expect(await collect(gzipSync('{"a":1}\n{"b":2}\n'))).toEqual(['in.log:1 {"a":1}', 'in.log:2 {"b":2}']);
  });

  it('streams a pretty-printed document item by item, with the line each item starts on', async () => {
    const doc = JSON.stringify({ kind: 'EventList', items: [{ a: 1 }, { b: [2] }] }, null, 2);
    expect(await collect(Buffer.from(doc))).toEqual([
      `in.log:4 items[0] ${JSON.stringify({ a: 1 }, null, 2).replaceAll('\n', '\n    ')}`,
      `in.log:7 items[1] ${JSON.stringify({ b: [2] }, null, 2).replaceAll('\n', '\n    ')}`,
    ]);
  });

  it('keeps reading JSON lines whose first line was cut by log rotation', async () => {
    const good = '{"kind":"Event","auditID":"a","verb":"get"}';
    const cut = 'ce":"web","name":"x"},"verb":"get"}';
    for (const first of [cut, '"web"},"verb":"get"}', '{"name":"x"}},"verb":"get"}', '{"a":', '[1]]}']) {
      const out = await collect(Buffer.from(`${first}\n${good}\n${good}\n`));
      expect(out, first).toEqual([`in.log:1 ${first}`, `in.log:2 ${good}`, `in.log:3 ${good}`]);
    }
  });

  it('streams a pretty document over 4 MiB with every item under the limit', async () => {
    const items = Array.from({ length: 6000 }, (_, i) => ({
      kind: 'Event',
      auditID: `id-${i}`,
      pad: 'x'.repeat(700),
    }));
    const doc = Buffer.from(JSON.stringify({ kind: 'EventList', items }, null, 2));
    expect(doc.length).toBeGreaterThan(4 * 1024 * 1024);
    const recs = [];
    for await (const r of readAuditRecords('big.json', Readable.from(chunks(doc, 65536)), {
      maxEventBytes: 4096,
    }))
      recs.push(r);
    expect(recs).toHaveLength(6000);
    expect(recs.every((r) => r.data && !r.rejected)).toBe(true);
    expect(JSON.parse(recs[5999]!.data!.toString())).toEqual(items[5999]);
    expect(recs[1]!.where).toBe('big.json:9 items[1]');
  });

  it('keeps an item whose strings are longer than the tokenizer is shown whole and exact', async () => {
    // Strings past 1 KiB are cut in the tokenizer's copy only (elide.ts): the item keeps every byte.
    const items = [{ a: 1 }, { s: 'q\\"\u00e9'.repeat(3000), t: ['x'.repeat(5000)] }, { c: 3 }];
    const doc = Buffer.from(JSON.stringify({ kind: 'EventList', items }, null, 2));
    const recs = [];
    for await (const r of readAuditRecords('s.json', Readable.from(chunks(doc, 777)), {
      maxEventBytes: 100_000,
    }))
      recs.push(r);
    expect(recs.map((r) => JSON.parse(r.data!.toString()))).toEqual(items);
  });

  it('rejects an oversized document item alone, unread, and keeps its siblings', async () => {
    const doc = JSON.stringify([{ a: 1 }, { big: 'y'.repeat(10_000) }, { c: 3 }], null, 1);
    const recs = [];
    for await (const r of readAuditRecords('d.json', Readable.from(chunks(Buffer.from(doc), 1000)), {
      maxEventBytes: 1000,
    }))
      recs.push(r);
    expect(recs.map((r) => [r.where, r.rejected?.reason ?? r.data!.toString().replace(/\s/g, '')])).toEqual([
      ['d.json:2 [0]', '{"a":1}'],
      ['d.json:5 [1]', 'too-large'],
      ['d.json:8 [2]', '{"c":3}'],
    ]);
  });

  it('skips a line far over the limit as it streams past, in linear time, holding one chunk', async () => {
    // 256 MiB without a newline, then a good line: joining chunks (quadratic) never finishes.
    const mib = Buffer.alloc(1024 * 1024, 0x61);
    async function* input() {
      for (let i = 0; i < 256; i++) yield mib;
      yield Buffer.from('\n{"ok":1}\n');
    }
    const recs = [];
    for await (const r of readAuditRecords('long.log', Readable.from(input()), { maxEventBytes: 4096 }))
      recs.push(r);
    expect(recs).toEqual([
      {
        where: 'long.log:1',
        rejected: { reason: 'too-large', detail: '268435456 bytes > limit 4096 (skipped unread)' },
      },
      { where: 'long.log:2', data: Buffer.from('{"ok":1}') },
    ]);
  });

  it('splits a one-line EventList over the limit into its items', async () => {
    const line = JSON.stringify({
      kind: 'EventList',
      items: [{ a: 'x'.repeat(600) }, { b: 'y'.repeat(600) }, 'z'],
    });
    const recs = [];
    for await (const r of readAuditRecords('one.log', Readable.from([Buffer.from(`${line}\n{"n":2}\n`)]), {
      maxEventBytes: 1000,
    }))
      recs.push(`${r.where} ${r.rejected?.reason ?? r.data!.length}`);
    expect(recs).toEqual([
      'one.log:1 items[0] 608',
      'one.log:1 items[1] 608',
      'one.log:1 items[2] 3',
      'one.log:2 7',
    ]);
  });

  it('skips a long object line that names no items early, without reading on', async () => {
    const big = Buffer.from(`{"requestObject":"${'q'.repeat(3 << 20)}","kind":"Event"}\n{"n":2}\n`);
    const recs = [];
    for await (const r of readAuditRecords('o.log', Readable.from(chunks(big, 65536)), {
      maxEventBytes: 1000,
    }))
      recs.push(`${r.where} ${r.rejected?.reason ?? r.data!.toString()}`);
    expect(recs).toEqual(['o.log:1 too-large', 'o.log:2 {"n":2}']);
  });

  it('reads `jq .` output (pretty events one after another) as events', async () => {
    const text = `${JSON.stringify({ kind: 'Event', n: 1 }, null, 2)}\n${JSON.stringify({ kind: 'Event', n: 2 }, null, 2)}\n`;
    const out = (await collect(Buffer.from(text))).map((l) => l.replace(/\s+/g, ''));
    expect(out).toEqual(['in.log:1{"kind":"Event","n":1}', 'in.log:5{"kind":"Event","n":2}']);
  });

  it('ends a document broken past its start with an error naming where, after what came before', async () => {
    // Past the 64 KiB looked at to tell a document from JSON lines.
    const items = Array.from({ length: 200 }, (_, i) => JSON.stringify({ n: i, pad: 'p'.repeat(500) }));
    const doc = `[\n${items.join(',\n')} 7,\n{"c": 3}\n]\n`;
    const recs: string[] = [];
    const read = async () => {
      for await (const r of readAuditRecords('b.json', Readable.from(chunks(Buffer.from(doc), 4096))))
        recs.push(`${r.where} ${r.rejected?.reason ?? 'ok'}`);
    };
    await expect(read()).rejects.toThrow(
      /^b\.json:201: JSON document broken \(unexpected value .*at byte \d+\)/,
    );
    expect(recs).toHaveLength(201);
    expect(recs.slice(-2)).toEqual(['b.json:201 [199] ok', 'b.json:201 invalid-json']);
  });

  it('reads a small document broken at its start as lines, each reported', async () => {
    const recs: string[] = [];
    for await (const r of readAuditRecords(
      's.json',
      Readable.from([Buffer.from('[\n {"a": 1} 7,\n {"c": 3}\n]\n')]),
    ))
      recs.push(r.where);
    expect(recs).toEqual(['s.json:1', 's.json:2', 's.json:3', 's.json:4']);
  });

  it('refuses a truncated gzip with the file name', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}\n'.repeat(10000)));
    await expect(collect(gz.subarray(0, gz.length - 20))).rejects.toThrow(InputError);
    await expect(collect(gz.subarray(0, gz.length - 20))).rejects.toThrow(/in\.log: cannot read input/);
  });
});
