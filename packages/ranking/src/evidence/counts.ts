import { evidenceCounts, type Store } from '@radar/store';
import { type EvidenceTarget, targetParams } from './targets.js';

export interface EvidenceQuery {
  /** Updates from `from` to `to` are counted. */
  from: Date;
  to: Date;
  /** Earlier writes from here on tell what each object held (default: 30 days before `from`). */
  historyFrom?: Date | undefined;
  cluster?: string | null | undefined;
  targets: readonly EvidenceTarget[];
  /** Objects with drops listed per row (default 10). */
  maxObjects?: number | undefined;
}

/** set / omitted / dropped for one client and one changed field (queries/evidence_counts.sql). */
export interface FieldEvidence {
  clientName: string;
  clientVersion: string;
  object: string;
  path: string;
  set: number;
  omitted: number;
  dropped: number;
  /** 'namespace/name' of objects where the client dropped the field (bounded). */
  dropObjects: string[];
  dropSamples: string[];
}

export const DEFAULT_HISTORY_MS = 30 * 86_400_000;

export async function fieldEvidence(store: Store, q: EvidenceQuery): Promise<FieldEvidence[]> {
  if (q.targets.length === 0) return [];
  const historyFrom = q.historyFrom ?? new Date(q.from.getTime() - DEFAULT_HISTORY_MS);
  const rows = await evidenceCounts.run(store, {
    from: q.from,
    to: q.to,
    history_from: new Date(Math.min(historyFrom.getTime(), q.from.getTime())),
    cluster: q.cluster,
    ...targetParams(q.targets),
    target_objects: q.targets.map((t) => t.object),
    target_paths: q.targets.map((t) => t.path),
    keys: [...new Set(q.targets.map((t) => `${t.object}|${t.path}`))],
    max_objects: q.maxObjects ?? 10,
  });
  return rows.map((r) => ({
    clientName: r.client_name,
    clientVersion: r.client_version,
    object: r.object,
    path: r.path,
    set: r.set,
    omitted: r.omitted,
    dropped: r.dropped,
    dropObjects: [...r.drop_objects].sort(),
    dropSamples: [...r.drop_samples].sort(),
  }));
}
