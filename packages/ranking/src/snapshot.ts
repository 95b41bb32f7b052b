import { chTime, rankSnapshotGet, type Store } from '@radar/store';
import { claim } from './history.js';
import type { RankResult } from './types.js';

export interface SnapshotResult {
  periodKey: string;
  created: boolean;
  /** The snapshot that counts for the period (ours, or the one recorded first). */
  result: RankResult;
}

/**
 * Records a rank result once per period key (see snapshotKey: hour + upgrade pair + cluster).
 * A second call for the same key stores nothing and returns the first snapshot.
 */
export async function saveRankSnapshot(
  store: Store,
  result: RankResult,
  periodKey: string,
): Promise<SnapshotResult> {
  const count = (s: string) => result.clients.filter((c) => c.severity === s).length;
  const { created, row } = await claim(store, {
    table: 'rank_snapshots',
    key: periodKey,
    get: async (k) => (await rankSnapshotGet.run(store, { period_key: k }))[0],
    row: (runId, createdAt) => ({
      period_key: periodKey,
      run_id: runId,
      created_at: createdAt,
      current: result.current,
      target: result.target,
      cluster: result.cluster ?? '',
      window_from: chTime(new Date(result.window.from)),
      window_to: chTime(new Date(result.window.to)),
      clients: result.clients.length,
      critical: count('critical'),
      high: count('high'),
      needs_verification: count('needs-verification'),
      result: JSON.stringify(result),
    }),
  });
  return { periodKey, created, result: JSON.parse(row.result) as RankResult };
}
