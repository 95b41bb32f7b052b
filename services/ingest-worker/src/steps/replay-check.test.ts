import { type EncodedRows, encodeRows, pickRows, rowCount } from '@radar/ingest';
import type { AuditRow } from '@radar/tagger';
import { describe, expect, it } from 'vitest';
import { ReplayCheck } from './replay-check.js';

const rows = (ids: string[]): EncodedRows =>
  encodeRows(
    ids.map((audit_id) => ({ audit_id, ts: '2026-11-20T10:00:00.000Z', stage_rank: 3 }) as AuditRow),
    'c',
  );

describe('ReplayCheck', () => {
  it('checks a partition until one batch is all new, then lets its batches through unchecked', async () => {
    const stored = new Set(['a', 'b']);
    const checked: string[][] = [];
    const refed: string[][] = [];
    const replays = new ReplayCheck({
      check: async (r) => {
        checked.push(r.ids);
        const isNew = r.ids.map((id, i) => [id, i] as const);
        const fresh = isNew.filter(([id]) => !stored.has(id)).map(([, i]) => i);
        const old = isNew.filter(([id]) => stored.has(id)).map(([, i]) => i);
        return { fresh: pickRows(r, fresh), stored: pickRows(r, old), alreadyStored: old.length };
      },
      refeed: async (r) => void refed.push(r.ids),
    });
    let attempts = 0;
    const retry = async <T>(step: () => Promise<T>) => {
      attempts++;
      return step();
    };

    const first = await replays.filter('t/0', rows(['a', 'x']), retry);
    expect([first.rows.ids, first.alreadyStored]).toEqual([['x'], 1]);
    expect(refed).toEqual([['a']]); // counted in the rollup in case the earlier owner's view never ran
    const second = await replays.filter('t/0', rows(['y', 'z']), retry);
    expect([second.rows.ids, second.alreadyStored]).toEqual([['y', 'z'], 0]);
    // Verified: a batch holding a stored request is no longer checked (the recent memory and the
    // ReplacingMergeTree handle re-sent events from here on).
    const third = await replays.filter('t/0', rows(['b']), retry);
    expect(rowCount(third.rows)).toBe(1);
    expect(checked).toEqual([
      ['a', 'x'],
      ['y', 'z'],
    ]);
    expect(attempts).toBe(4); // check + refeed for each checked batch, through the caller's retry

    // Another partition, and the same one after a rebalance, are checked again.
    await replays.filter('t/1', rows(['b']), retry);
    replays.reset();
    await replays.filter('t/0', rows(['b']), retry);
    expect(checked.slice(2)).toEqual([['b'], ['b']]);
  });
});
