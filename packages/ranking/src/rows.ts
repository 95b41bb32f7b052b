import { runNamedQuery, type Store } from '@radar/store';
import type { RowKey } from './decide.js';
import type { RiskIndex } from './risk.js';

/** One merged rollup row of rank_candidates (numbers already unquoted by BASE_SETTINGS). */
export interface CandidateRow extends RowKey {
  requests: number;
  objects: number;
  namespaces: string[];
  sample_ids: string[];
  first_at: string;
  last_at: string;
}

export interface DailyRow extends RowKey {
  day: string;
  requests: number;
}

export interface WindowParams {
  from: Date;
  to: Date;
  cluster?: string | null | undefined;
  /** Clients whose Kubernetes version the policy overrides: their rows are always read. */
  overrideClients?: readonly string[] | undefined;
}

/** ClickHouse DateTime64 text in UTC: '2026-01-02 03:04:05.678'. */
export function chTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

function params(idx: RiskIndex, w: WindowParams): Record<string, unknown> {
  return {
    from: chTime(w.from),
    to: chTime(w.to),
    cluster: w.cluster ?? '',
    ...idx.sqlParams,
    override_clients: [...(w.overrideClients ?? [])],
  };
}

export async function windowActivity(
  store: Store,
  w: WindowParams,
): Promise<{ rows: number; clients: number }> {
  const [row] = await runNamedQuery<{ rows: number; clients: number }>(store, 'rank_window_activity', {
    from: chTime(w.from),
    to: chTime(w.to),
    cluster: w.cluster ?? '',
  });
  return { rows: Number(row?.rows ?? 0), clients: Number(row?.clients ?? 0) };
}

export function candidateRows(store: Store, idx: RiskIndex, w: WindowParams): Promise<CandidateRow[]> {
  return runNamedQuery<CandidateRow>(store, 'rank_candidates', params(idx, w));
}

export function dailyRows(store: Store, idx: RiskIndex, w: WindowParams): Promise<DailyRow[]> {
  return runNamedQuery<DailyRow>(store, 'report_daily_risk', params(idx, w));
}
