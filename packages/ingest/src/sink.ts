import { insertBody, insertRows, type Store } from '@radar/store';
import { AUDIT_COLUMNS, type AuditRow } from '@radar/tagger';
import { bodyParts, decodeRows, type EncodedRows, rowCount } from './encoded.js';

/** The one way tagged rows reach `audit_events`: their encoded lines, as they are (never joined here). */
export function insertAuditRows(store: Store, rows: EncodedRows, dedupToken?: string): Promise<void> {
  return insertBody(store, 'audit_events', bodyParts(rows), {
    columns: AUDIT_COLUMNS,
    ...(dedupToken ? { dedupToken } : {}),
  });
}

/** What audit_daily_feed_mv reads (migration 0046): enough to count a request in the rollup, nothing else. */
const FEED_COLUMNS = [
  'audit_id',
  'ts',
  'cluster',
  'verb',
  'api_group',
  'api_version',
  'resource',
  'subresource',
  'namespace',
  'name',
  'username',
  'user_agent',
  'client_name',
  'client_version',
  'client_kube_minor',
  'status_code',
  'deprecated',
] as const satisfies readonly (keyof AuditRow)[];

/**
 * Re-counts requests that are already in audit_events into the rollup only. A replay finds them
 * stored, but their first insert may have died before the rollup view ran; the rollup counts
 * uniq(audit_id), so sending them again never counts a request twice. Rare (replays only), so
 * the rows are decoded back here rather than carried decoded everywhere.
 */
export function refeedRollup(store: Store, rows: EncodedRows): Promise<void> {
  if (rowCount(rows) === 0) return Promise.resolve();
  return insertRows(store, 'audit_rollup_feed', decodeRows(rows), { columns: FEED_COLUMNS });
}
