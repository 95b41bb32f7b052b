import { createHash, randomUUID } from 'node:crypto';
import { chTime, insertRows, type Store } from '@radar/store';

/**
 * Claims an idempotency key: if a row exists, returns it; otherwise inserts ours with the key as
 * dedup token and reads back which row counts (the earliest of racing runs). `created` is true
 * only for the run whose row won.
 */
export async function claim<Row extends { run_id: string }>(
  store: Store,
  opts: {
    table: string;
    key: string;
    /** The row recorded under the key, if any (its named query). */
    get: (key: string) => Promise<Row | undefined>;
    row: (runId: string, createdAt: string) => Record<string, unknown>;
  },
): Promise<{ created: boolean; row: Row }> {
  const get = () => opts.get(opts.key);
  const existing = await get();
  if (existing) return { created: false, row: existing };
  const runId = randomUUID();
  // Keys may hold any cluster name; the token only has to be the same for the same key.
  const token = `${opts.table}:${createHash('sha256').update(opts.key).digest('hex').slice(0, 40)}`;
  await insertRows(store, opts.table, [opts.row(runId, chTime(new Date()))], { dedupToken: token });
  const stored = await get();
  if (!stored) throw new Error(`${opts.table}: row for ${opts.key} not found after insert`);
  return { created: stored.run_id === runId, row: stored };
}
