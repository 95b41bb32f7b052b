import { type RowOf, rankCandidates, rankWindowActivity, type Store } from '@radar/store';
import type { RiskIndex } from './risk.js';

type Row = RowOf<typeof rankCandidates>;
/** One rollup row merged over the window (rank): its day means nothing. */
export type CandidateRow = Omit<Row, 'day'>;
/** One rollup row of one UTC day (the report's chart): only the key, requests and user agents. */
export type DailyRow = Omit<Row, 'objects' | 'namespaces' | 'sample_ids' | 'first_at' | 'last_at'>;

export interface WindowParams {
  from: Date;
  to: Date;
  cluster?: string | null | undefined;
  /** Clients whose Kubernetes version the policy overrides: their rows are always read. */
  overrideClients?: readonly string[] | undefined;
}

function params(idx: RiskIndex, w: WindowParams, byDay: 0 | 1) {
  return {
    by_day: byDay,
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
  return rankCandidates.run(store, params(idx, w, 0));
}

/** The same rows per UTC day, for the report's chart. */
export function dailyRows(store: Store, idx: RiskIndex, w: WindowParams): Promise<DailyRow[]> {
  return rankCandidates.run(store, params(idx, w, 1));
}
