import { runNamedQuery, type Store } from '@radar/store';
import { chTime, type EvidenceTarget, targetParams } from './targets.js';

export interface EvidenceQuery {
  /** Updates from `from` to `to` are counted. */
  from: Date;
  to: Date;
  /** Earlier writes from here on tell what each object held (default: 30 days before `from`). */
  historyFrom?: Date | undefined;
  cluster?: string | undefined;
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

interface Row {
  client_name: string;
  client_version: string;
  object: string;
  path: string;
  set: number;
  omitted: number;
  dropped: number;
  drop_objects: string[];
  drop_samples: string[];
}

export const DEFAULT_HISTORY_MS = 30 * 86_400_000;

export async function fieldEvidence(store: Store, q: EvidenceQuery): Promise<FieldEvidence[]> {
  if (q.targets.length === 0) return [];
  const historyFrom = q.historyFrom ?? new Date(q.from.getTime() - DEFAULT_HISTORY_MS);
  const rows = await runNamedQuery<Row>(store, 'evidence_counts', {
    from: chTime(q.from),
    to: chTime(q.to),
    history_from: chTime(new Date(Math.min(historyFrom.getTime(), q.from.getTime()))),
    cluster: q.cluster ?? '',
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
    set: Number(r.set),
    omitted: Number(r.omitted),
    dropped: Number(r.dropped),
    dropObjects: [...r.drop_objects].sort(),
    dropSamples: [...r.drop_samples].sort(),
  }));
}
