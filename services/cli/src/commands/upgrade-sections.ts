import type { Store } from '@radar/store';
import {
  type Change,
  loadClusters,
  loadPlan,
  loadRollbackCheck,
  minorNumber,
  planSection,
  rollbackSection,
  type Section,
} from '@radar/upgrade';

/**
 * The report's upgrade sections: the apiserver roll plan for current -> target (4 weeks of
 * writes before the window's end), and rollback readiness when the report's cluster (or the only
 * one) upgraded within the window.
 */
export async function upgradeSections(
  store: Store,
  catalog: readonly Change[],
  o: { current: string; target: string; cluster: string | undefined; window: { from: Date; to: Date } },
): Promise<Section[]> {
  const from = minorNumber(o.current);
  const to = minorNumber(o.target);
  const out: Section[] = [];
  if (to > from) {
    const plan = await loadPlan(store, catalog, {
      cluster: o.cluster ?? '',
      from,
      to,
      weeks: 4,
      rollHours: 2,
      end: o.window.to,
    });
    out.push(planSection(plan, o.current, o.target));
  }
  const clusters = await loadClusters(store, { ...o.window, cluster: o.cluster ?? '' });
  const c = clusters.length === 1 ? clusters[0] : undefined;
  const up = c?.upgrades.at(-1);
  if (c && up) {
    const check = await loadRollbackCheck(store, catalog, {
      cluster: c.cluster,
      from: minorNumber(up.from),
      to: minorNumber(up.to),
      since: new Date(up.at),
      end: o.window.to,
    });
    out.push(rollbackSection(check));
  }
  return out;
}
