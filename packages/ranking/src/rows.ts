import { type RowOf, rankCandidates, rankWindowActivity, reportDailyRisk, type Store } from '@radar/store';
import type { RiskIndex } from './risk.js';

/** One merged rollup row of rank_candidates. */
export type CandidateRow = RowOf<typeof rankCandidates>;
export type DailyRow = RowOf<typeof reportDailyRisk>;

export interface WindowParams {
  from: Date;
  to: Date;
  cluster?: string | null | undefined;
  /** Clients whose Kubernetes version the policy overrides: their rows are always read. */
  overrideClients?: readonly string[] | undefined;
}

function params(idx: RiskIndex, w: WindowParams) {
  return {
    from: w.from,
    to: w.to,
    cluster: w.cluster,
    ...idx.sqlParams,
    override_clients: w.overrideClients ?? [],
  };
}

export async function windowActivity(
  store: Store,
  w: WindowParams,
): Promise<{ rows: number; clients: number }> {
  const [row] = await rankWindowActivity.run(store, { from: w.from, to: w.to, cluster: w.cluster });
  return row ?? { rows: 0, clients: 0 };
}

export function candidateRows(store: Store, idx: RiskIndex, w: WindowParams): Promise<CandidateRow[]> {
  return rankCandidates.run(store, params(idx, w));
}

export function dailyRows(store: Store, idx: RiskIndex, w: WindowParams): Promise<DailyRow[]> {
  return reportDailyRisk.run(store, params(idx, w));
}
