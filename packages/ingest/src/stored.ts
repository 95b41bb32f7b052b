import { runNamedQuery, type Store } from '@radar/store';
import type { AuditRow } from '@radar/tagger';

const CHUNK = 5_000;
const SLACK_MS = 60 * 60 * 1000;

/**
 * Removes rows whose request is already stored at the same or a later stage. Used where a replay
 * is likely (first batch of a partition after (re)assignment, a retried batch, file ingest), so
 * a replay stores nothing twice even when its batch boundaries differ from the first attempt.
 */
export async function withoutStored(
  store: Store,
  rows: AuditRow[],
): Promise<{ fresh: AuditRow[]; stored: AuditRow[]; alreadyStored: number }> {
  if (rows.length === 0) return { fresh: rows, stored: [], alreadyStored: 0 };
  const stored = new Map<string, number>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const r of chunk) {
      const t = Date.parse(r.ts);
      if (t < min) min = t;
      if (t > max) max = t;
    }
    const found = await runNamedQuery<{ audit_id: string; ts_ms: number; stage_rank: number }>(
      store,
      'ingest_stored_requests',
      {
        cluster: chunk[0]!.cluster,
        from: (min - SLACK_MS) / 1000,
        to: (max + SLACK_MS) / 1000,
        ids: [...new Set(chunk.map((r) => r.audit_id))],
      },
    );
    for (const f of found) stored.set(`${f.audit_id}\u0000${f.ts_ms}`, Number(f.stage_rank));
  }
  if (stored.size === 0) return { fresh: rows, stored: [], alreadyStored: 0 };
  const fresh: AuditRow[] = [];
  const old: AuditRow[] = [];
  for (const r of rows) {
    const rank = stored.get(`${r.audit_id}\u0000${Date.parse(r.ts)}`);
    (rank === undefined || rank < r.stage_rank ? fresh : old).push(r);
  }
  return { fresh, stored: old, alreadyStored: old.length };
}
