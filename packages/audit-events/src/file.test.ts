import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError, readAuditRecords } from './file.js';

async function collect(buf: Buffer) {
  const out: string[] = [];
  for await (const r of readAuditRecords('in.log', Readable.from([buf])))
    out.push(`${r.where} ${r.data.toString()}`);
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

  it('reads a pretty-printed document whole', async () => {
    const doc = JSON.stringify({ kind: 'EventList', items: [{ a: 1 }] }, null, 2);
    const out = await collect(Buffer.from(doc));
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!.slice('in.log:1 '.length))).toEqual({ kind: 'EventList', items: [{ a: 1 }] });
  });

  it('refuses a truncated gzip with the file name', async () => {
    const gz = gzipSync(Buffer.from('{"a":1}\n'.repeat(10000)));
    await expect(collect(gz.subarray(0, gz.length - 20))).rejects.toThrow(InputError);
    await expect(collect(gz.subarray(0, gz.length - 20))).rejects.toThrow(/in\.log: cannot read input/);
  });
});
