import type { AuditRow } from '@radar/tagger';
import { describe, expect, it } from 'vitest';
import { concatRows, decodeRows, encodeRows, pickRows, rowCount } from './encoded.js';

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
