import type { AuditRow } from '@radar/tagger';
import { describe, expect, it } from 'vitest';
import { bodyParts, concatRows, decodeRows, encodeRows, pickRows, RowEncoder, rowCount } from './encoded.js';

const row = (id: string, name: string, stage_rank = 2) =>
  ({ audit_id: id, ts: `2026-01-01T00:00:0${id.length}Z`, stage_rank, cluster: 'c', name }) as AuditRow;

describe('encoded rows', () => {
  const rows = encodeRows([row('a', 'plain'), row('bb', 'ünïcödé ✓', 0), row('ccc', 'tab\tquote"')]);

  it('keeps one JSON line per row, multi-byte text included, with exact line ends', () => {
    expect(rowCount(rows)).toBe(3);
    const text = Buffer.from(rows.body).toString('utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(rows.ends[2]).toBe(rows.body.length);
    expect(decodeRows(rows).map((r) => r.name)).toEqual(['plain', 'ünïcödé ✓', 'tab\tquote"']);
  });

  it('picks and joins rows by bytes, identities and ranks along', () => {
    const picked = pickRows(rows, [2, 1]);
    expect(decodeRows(picked).map((r) => r.audit_id)).toEqual(['ccc', 'bb']);
    expect(picked.ids).toEqual(['ccc', 'bb']);
    expect([...picked.ranks]).toEqual([2, 0]);
    const joined = concatRows([picked, pickRows(rows, [0])]);
    expect(decodeRows(joined).map((r) => r.name)).toEqual(['tab\tquote"', 'ünïcödé ✓', 'plain']);
    expect(joined.ts).toEqual(['2026-01-01T00:00:03Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:01Z']);
  });
});

describe('joined rows (concatRows) keep their parts until a body is needed', () => {
  const a = encodeRows([row('a', 'one'), row('bb', 'two')]);
  const b = encodeRows([row('ccc', 'three')]);
  const c = encodeRows([row('dddd', 'four')]);

  it('writes the parts as they are, nested joins flattened, and joins them only when the body is read', () => {
    const joined = concatRows([concatRows([a, b]), c]);
    expect(bodyParts(joined)).toEqual([a.body, b.body, c.body]);
    expect(bodyParts(joined)[0]).toBe(a.body);
    expect(Buffer.concat(bodyParts(joined)).equals(Buffer.from(joined.body))).toBe(true);
    expect(joined.ends[3]).toBe(joined.body.length);
    expect(decodeRows(joined).map((r) => r.name)).toEqual(['one', 'two', 'three', 'four']);
    expect(joined.ids).toEqual(['a', 'bb', 'ccc', 'dddd']);
  });

  it('never lets a copy carry parts that may not match its body', () => {
    const joined = concatRows([a, b]);
    const spread = { ...joined, body: joined.body.subarray(0, joined.ends[0]!) };
    expect(bodyParts(spread)).toEqual([spread.body]);
    const cloned = structuredClone(joined);
    expect(bodyParts(cloned)).toEqual([cloned.body]);
    expect(decodeRows(cloned).map((r) => r.name)).toEqual(['one', 'two', 'three']);
    expect(() => {
      (joined as { body: Uint8Array }).body = new Uint8Array(0);
    }).toThrow(TypeError);
  });
});

describe('RowEncoder.finish', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => row(`id-${i}`, 'x'.repeat(100)));

  it('hands its buffer over in place when at least 3/4 of it is used, and copies otherwise', () => {
    const size = encodeRows(ids(40)).body.length;
    const hint = Math.ceil(size * 1.2);
    const full = new RowEncoder('c', hint);
    for (const r of ids(40)) full.add(r);
    const tight = full.finish();
    expect(tight.body.length).toBe(size);
    expect(tight.body.buffer.byteLength).toBe(hint);

    const sparse = new RowEncoder('c', 64 * 1024);
    for (const r of ids(2)) sparse.add(r);
    const copied = sparse.finish();
    expect(copied.body.buffer.byteLength).toBe(copied.body.length);
    expect(decodeRows(copied).map((r) => r.audit_id)).toEqual(['id-0', 'id-1']);
  });
});

describe('encoded rows hold only what the engine can read', () => {
  it('replaces lone surrogates in every string and array cell, and leaves pairs alone', () => {
    const bad = {
      ...row('id', 'n\ud800'),
      user_agent: 'ua\udc00x',
      namespace: '\udbff',
      user_groups: ['g\ud800', 'ok'],
      request_paths: ['spec.\udfff'],
      username: 'emoji 😀 and a literal \\ud800',
    } as AuditRow;
    const enc = encodeRows([bad]);
    const text = Buffer.from(enc.body).toString('utf8');
    // A surrogate escape (an odd number of backslashes before `ud8`..`udf`), not a literal `\\ud800`.
    expect(text).not.toMatch(/(^|[^\\])(\\\\)*\\ud[89a-f]/);
    const [back] = decodeRows(enc);
    expect(back).toMatchObject({
      name: 'n\ufffd',
      user_agent: 'ua\ufffdx',
      namespace: '\ufffd',
      user_groups: ['g\ufffd', 'ok'],
      request_paths: ['spec.\ufffd'],
      username: 'emoji 😀 and a literal \\ud800',
    });
  });
});
