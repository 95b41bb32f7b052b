import { insertRows, type Store } from '@radar/store';
import { AUDIT_COLUMNS, type AuditRow } from '@radar/tagger';

/** The one way tagged rows reach `audit_events`: compact rows in table column order. */
export function insertAuditRows(store: Store, rows: readonly AuditRow[], dedupToken?: string): Promise<void> {
  return insertRows(store, 'audit_events', rows, {
    columns: AUDIT_COLUMNS,
    ...(dedupToken ? { dedupToken } : {}),
  });
}
