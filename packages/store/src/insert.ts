import type { Store } from './client.js';
import { BASE_SETTINGS } from './client.js';

export interface InsertOptions {
  /**
   * Same token, same rows: ClickHouse stores them once (and feeds the materialized views once).
   * Use a token derived from the input position, e.g. `<topic>-<partition>-<first>-<last>`.
   */
  dedupToken?: string;
}

/**
 * One INSERT of JSONEachRow rows. Every call sends the full settings it relies on: the embedded
 * engine keeps per-call settings on its session, and a stale dedup token would make later
 * inserts of other rows vanish.
 */
export async function insertRows(
  store: Store,
  table: string,
  values: readonly object[],
  opts: InsertOptions = {},
): Promise<void> {
  if (values.length === 0) return;
  await store.client.insert({
    table,
    values: values as object[],
    format: 'JSONEachRow',
    clickhouse_settings: {
      ...BASE_SETTINGS,
      async_insert: 0,
      insert_deduplicate: 1,
      insert_deduplication_token: opts.dedupToken ?? '',
      deduplicate_blocks_in_dependent_materialized_views: 1,
      input_format_skip_unknown_fields: 0,
      date_time_input_format: 'best_effort',
      ...(store.cluster ? { distributed_foreground_insert: 1 } : {}),
    },
  });
}
