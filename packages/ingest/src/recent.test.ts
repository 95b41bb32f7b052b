import type { AuditRow } from '@radar/tagger';
import { describe, expect, it } from 'vitest';
import { encodeRows } from './encoded.js';
import { RecentRequests } from './recent.js';

const row = (id: string, stage_rank = 2) =>
  ({ audit_id: id, ts: '2026-01-01T00:00:00Z', stage_rank, cluster: 'c' }) as AuditRow;
const rows = (...r: AuditRow[]) => encodeRows(r);

describe('RecentRequests', () => {
  it('drops a request stored at the same or a later stage, keeps a later stage', () => {
    const recent = new RecentRequests(100);
    recent.remember(rows(row('a'), row('b', 0)));
    const { fresh, duplicates } = recent.filter(rows(row('a'), row('b', 2), row('c')));
    expect(fresh.ids).toEqual(['b', 'c']);
    expect(duplicates).toBe(1);
  });

  it('stays bounded: forgets the oldest generation', () => {
    const recent = new RecentRequests(2);
    recent.remember(rows(row('a'), row('b'), row('c'), row('d'), row('e')));
    expect(recent.filter(rows(row('a'))).duplicates).toBe(0);
    expect(recent.filter(rows(row('e'))).duplicates).toBe(1);
  });
});

describe('RecentRequests.admit', () => {
  it('filters and remembers in one pass, within a batch too, and forgets everything on clear', () => {
    const recent = new RecentRequests(100);
    const first = recent.admit(rows(row('a', 0), row('b')));
    expect(first).toMatchObject({ duplicates: 0 });
    const second = recent.admit(rows(row('a', 2), row('b'), row('c'), row('c')));
    expect(second.fresh.ids).toEqual(['a', 'c']);
    expect(second.duplicates).toBe(2);
    recent.clear();
    expect(recent.admit(rows(row('b'))).duplicates).toBe(0);
  });
});

describe('RecentRequests with reused audit IDs', () => {
  it('never takes another request under the same ID (another receive time) for a duplicate', () => {
    const recent = new RecentRequests(100);
    recent.admit(rows(row('a')));
    const other = { ...row('a'), ts: '2026-01-01T00:00:05Z' } as AuditRow;
    expect(recent.admit(rows(other)).duplicates).toBe(0);
  });
});

describe('RecentRequests at capacity', () => {
  it('remembers up to two generations of requests, then forgets the oldest', () => {
    const recent = new RecentRequests(1000);
    const ids = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => row(`id-${from + k}`));
    expect(recent.admit(rows(...ids(0, 2500))).duplicates).toBe(0);
    // 2,500 admitted into generations of 1,000: the newest 1,500 or more are still known.
    expect(recent.filter(rows(...ids(1500, 2500))).duplicates).toBe(1000);
    expect(recent.filter(rows(...ids(0, 500))).duplicates).toBe(0);
  });
});
