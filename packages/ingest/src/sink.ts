import { insertRows, type Store } from '@radar/store';
import { AUDIT_COLUMNS, type AuditRow } from '@radar/tagger';
import { withoutStored } from './stored.js';

/** The one way tagged rows reach `audit_events`: compact rows in table column order. */
export function insertAuditRows(store: Store, rows: readonly AuditRow[], dedupToken?: string): Promise<void> {
  return insertRows(store, 'audit_events', rows, {
    columns: AUDIT_COLUMNS,
    ...(dedupToken ? { dedupToken } : {}),
  });
}

/** What audit_daily_mv reads: enough to count a request in the rollup, nothing else. */
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
 * uniq(audit_id), so sending them again never counts a request twice.
 */
export function refeedRollup(store: Store, rows: readonly AuditRow[]): Promise<void> {
  return insertRows(store, 'audit_rollup_feed', rows, { columns: FEED_COLUMNS });
}

/**
 * Stores rows that may have been stored before (a replay, a retried insert): new requests go to
 * audit_events, known ones to the rollup only. Returns how many were already stored.
 */
export async function storeReplayed(store: Store, rows: AuditRow[]): Promise<number> {
  const { fresh, stored } = await withoutStored(store, rows);
  await insertAuditRows(store, fresh);
  await refeedRollup(store, stored);
  return stored.length;
}
