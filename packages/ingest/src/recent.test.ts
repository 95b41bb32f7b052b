import type { AuditRow } from '@radar/tagger';
import { describe, expect, it } from 'vitest';
import { RecentRequests } from './recent.js';

const row = (id: string, stage_rank = 2) =>
  ({ audit_id: id, ts: '2026-01-01T00:00:00Z', stage_rank }) as AuditRow;

describe('RecentRequests', () => {
  it('drops a request stored at the same or a later stage, keeps a later stage', () => {
    const recent = new RecentRequests(100);
    recent.remember([row('a'), row('b', 0)]);
    const { fresh, duplicates } = recent.filter([row('a'), row('b', 2), row('c')]);
    expect(fresh.map((r) => r.audit_id)).toEqual(['b', 'c']);
    expect(duplicates).toBe(1);
  });

  it('stays bounded: forgets the oldest generation', () => {
    const recent = new RecentRequests(2);
    recent.remember([row('a'), row('b'), row('c'), row('d'), row('e')]);
    expect(recent.filter([row('a')]).duplicates).toBe(0);
    expect(recent.filter([row('e')]).duplicates).toBe(1);
  });
});
