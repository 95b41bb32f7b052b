import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRow } from '@radar/tagger';
import { describe, expect, it } from 'vitest';
import { decodeRows, type EncodedRows, encodeRows } from '../encoded.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { decodeRecord, encodeRecord } from './frame.js';
import { type FrontRead, Spool, type SpoolOptions } from './spool.js';

const row = (id: string, name = 'n') =>
  ({ audit_id: id, ts: '2026-01-01T00:00:00.000Z', stage_rank: 2, cluster: 'c', name }) as AuditRow;
const batch = (prefix: string, n: number): EncodedRows =>
  encodeRows(Array.from({ length: n }, (_, i) => row(`${prefix}-${i}`, `name ${prefix} ${i}`)));

interface Logged {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}
function logger() {
  const lines: Logged[] = [];
  const at = (level: string) => (obj: object, msg: string) =>
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const open = (dir: string, more: Partial<SpoolOptions> = {}) =>
  Spool.open({ dir, maxBytes: 1 << 30, diskReserveBytes: 0, log: logger().log, ...more });
const ids = (r: FrontRead) => (r.kind === 'rows' ? r.batches.flatMap((b) => b.ids) : []);
const fresh = () => mkdtempSync(join(tmpdir(), 'radar-spool-'));
const segs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.seg'));

describe('spool records', () => {
  it('frame rows exactly, hostile strings included, and refuse a flipped byte', () => {
    const rows = encodeRows([row('a\u0000\n"b', 'ünï\tcödé'), row('\ud83d\ude00', 'x')]);
    const rec = encodeRecord(rows, 1234.5);
    const back = decodeRecord(rec);
    expect(back.ok && { ids: back.rows.ids, at: back.appendedAt, rows: decodeRows(back.rows) }).toEqual({
      ids: rows.ids,
      at: 1234.5,
      rows: decodeRows(rows),
    });
    const bad = Buffer.from(rec);
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0xff;
    expect(decodeRecord(bad)).toEqual({ ok: false, problem: 'crc32 mismatch' });
  });
});

describe('spool', () => {
  it('appends durably, shares one fsync between concurrent appends, reads them back in order', async () => {
    const dir = fresh();
    const s = await open(dir);
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => s.append(batch(`b${i}`, 3))));
    expect(got.every((g) => g.ok)).toBe(true);
    // The first append starts an fsync; the 19 that arrive while it runs share the next one.
    expect(s.stats().fsyncs).toBe(2);
    expect(s.pending()).toMatchObject({ records: 20, rows: 60 });
    const read = await s.readFront({ maxRows: 7 });
    expect(ids(read)).toEqual(['b0-0', 'b0-1', 'b0-2', 'b1-0', 'b1-1', 'b1-2']);
    await s.close();
    const again = await open(dir);
    expect(again.pending()).toMatchObject({ records: 20, rows: 60 });
    expect(ids(await again.readFront({ maxRows: 1000 }))).toHaveLength(60);
    await again.close();
  });

  it('cuts a torn tail at open: the half-written last record is gone, the rest kept', async () => {
    const dir = fresh();
    const s = await open(dir);
    await s.append(batch('a', 2));
    await s.append(batch('b', 2));
    await s.close();
    const [file] = segs(dir);
    const size = statSync(join(dir, file!)).size;
    truncateSync(join(dir, file!), size - 5);
    const { lines, log } = logger();
    const again = await open(dir, { log });
    expect(ids(await again.readFront({ maxRows: 100 }))).toEqual(['a-0', 'a-1']);
    expect(lines.find((l) => l.msg === 'spool: torn tail cut')?.obj).toMatchObject({
      file: join(dir, file!),
    });
    expect(statSync(join(dir, file!)).size).toBeLessThan(size - 5);
    // Appends go on after the cut, readable after another reopen.
    await again.append(batch('c', 1));
    await again.close();
    const third = await open(dir);
    expect(ids(await third.readFront({ maxRows: 100 }))).toEqual(['a-0', 'a-1', 'c-0']);
    await third.close();
  });

  it('a crc mismatch: the records before it are read, then its segment moves to corrupt/ and reading goes on', async () => {
    const dir = fresh();
    const s = await open(dir, { segmentBytes: 1 });
    for (const p of ['a', 'b', 'c']) await s.append(batch(p, 2));
    await s.close();
    // One record per segment (segmentBytes 1): damage the second segment's payload.
    const files = segs(dir).sort();
    expect(files).toHaveLength(3);
    const second = join(dir, files[1]!);
    const bytes = readFileSync(second);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x55;
    writeFileSync(second, bytes);
    const again = await open(dir, { segmentBytes: 1 });
    const first = await again.readFront({ maxRows: 100 });
    expect(ids(first)).toEqual(['a-0', 'a-1']);
    if (first.kind === 'rows') await again.commit(first.to);
    const bad = await again.readFront({ maxRows: 100 });
    expect(bad).toMatchObject({
      kind: 'corrupt',
      file: second,
      at: { offset: 0 },
      problem: 'crc32 mismatch',
    });
    if (bad.kind === 'corrupt') expect(await again.dropCorrupt(bad.at)).toMatchObject({ lostRecords: 1 });
    expect(existsSync(join(dir, 'corrupt', files[1]!))).toBe(true);
    expect(ids(await again.readFront({ maxRows: 100 }))).toEqual(['c-0', 'c-1']);
    expect(again.stats().corruptSegments).toBe(1);
    await again.close();
  });

  it('rolls segments at the size and deletes those wholly below the checkpoint', async () => {
    const dir = fresh();
    const one = encodeRecord(batch('r0', 2), 0).length;
    const s = await open(dir, { segmentBytes: one * 2 });
    for (let i = 0; i < 5; i++) await s.append(batch(`r${i}`, 2));
    expect(segs(dir)).toHaveLength(3);
    const read = await s.readFront({ maxRows: 6 });
    expect(read).toMatchObject({
      kind: 'rows',
      rows: 6,
      from: { segment: 0, offset: 0 },
      to: { segment: 2, offset: one },
    });
    if (read.kind === 'rows') await s.commit(read.to);
    expect(segs(dir)).toHaveLength(2);
    expect(s.stats().bytes).toBe(one * 3);
    expect(await readCheckpoint(dir)).toEqual({ id: s.checkpoint().id, done: { segment: 2, offset: one } });
    await s.close();
    const again = await open(dir, { segmentBytes: one * 2 });
    expect(ids(await again.readFront({ maxRows: 100 }))).toEqual(['r3-0', 'r3-1', 'r4-0', 'r4-1']);
    await again.close();
  });

  it('keeps the intent of an insert in progress across a reopen, written atomically', async () => {
    const dir = fresh();
    const s = await open(dir);
    await s.append(batch('a', 1));
    const read = await s.readFront({ maxRows: 10 });
    if (read.kind !== 'rows') throw new Error('no rows');
    await s.beginInsert({ from: read.from, to: read.to });
    await s.close();
    expect(readdirSync(dir)).not.toContain('checkpoint.json.tmp');
    const again = await open(dir);
    expect(again.checkpoint()).toEqual({
      id: s.checkpoint().id,
      done: read.from,
      intent: { from: read.from, to: read.to },
    });
    await again.close();
    await writeCheckpoint(dir, { id: 'abcdef0123456789', done: { segment: 0, offset: 0 } });
    // Damaged on disk (not JSON, or JSON of another shape): refused with the file named.
    appendFileSync(join(dir, 'checkpoint.json'), 'x');
    const named = `spool checkpoint ${join(dir, 'checkpoint.json')} is damaged`;
    await expect(open(dir)).rejects.toThrow(named);
    writeFileSync(join(dir, 'checkpoint.json'), 'null');
    await expect(open(dir)).rejects.toThrow(named);
  });

  it('names each new spool: the same range in a recreated spool gets another token, a reopen the same', async () => {
    const dir = fresh();
    const range = { from: { segment: 0, offset: 0 }, to: { segment: 1, offset: 100 } };
    const a = await open(dir);
    await a.close();
    const b = await open(dir);
    const other = await open(fresh());
    expect(b.token(range)).toBe(a.token(range));
    expect(other.token(range)).not.toBe(a.token(range));
    expect(a.token(range)).toMatch(/^spool-[0-9a-f]{16}-0-0-1-100$/);
    await b.close();
    await other.close();
  });

  it('when full, append writes nothing and says so; space freed by the drain lets it go on', async () => {
    const dir = fresh();
    const one = encodeRecord(batch('x', 2), 0).length;
    const s = await open(dir, { maxBytes: one * 2, segmentBytes: one });
    expect((await s.append(batch('a', 2))).ok).toBe(true);
    expect((await s.append(batch('b', 2))).ok).toBe(true);
    expect(await s.append(batch('c', 2))).toEqual({
      ok: false,
      reason: 'full',
      bytes: one * 2,
      maxBytes: one * 2,
    });
    expect(s.pending().records).toBe(2);
    const read = await s.readFront({ maxRows: 2 });
    if (read.kind === 'rows') await s.commit(read.to);
    expect((await s.append(batch('c', 2))).ok).toBe(true);
    expect(ids(await s.readFront({ maxRows: 100 }))).toEqual(['b-0', 'b-1', 'c-0', 'c-1']);
    await s.close();
  });
});
