import {
  clustersEmulation,
  clustersVersions,
  rollbackAddedFields,
  rollbackObjects,
  type Store,
  upgradeHold,
  upgradeMixedWrites,
  upgradeWriteRates,
} from '@radar/store';
import { type Change, resourcesOf, upgradeChanges } from './changes.js';
import { type ClusterVersions, deriveClusters, type VersionRow } from './clusters.js';
import {
  defaultServed,
  detectEmulation,
  type EmulatedVersion,
  type EmulationRow,
  emulationProbes,
  gvrKey,
} from './emulation.js';
import { type MixedWindow, type MixedWrite, type MixedWriteRow, mixedWindow, mixedWrites } from './mixed.js';
import { type HoldRow, holdList, planRoll, type RateRow, type UpgradePlan, windowHours } from './plan.js';
import { type AddedFieldRow, type RollbackCheck, type RollbackObjectRow, rollbackCheck } from './rollback.js';
import { minorNumber, minorText } from './version.js';

/** A DateTime64 the engine printed as ISO 8601 (BASE_SETTINGS asks for it; a bare one is UTC). */
const iso = (s: string): string => (s.endsWith('Z') ? s : `${s.replace(' ', 'T')}Z`);

export interface Window {
  from: Date;
  to: Date;
  /** One cluster, or '' for all. */
  cluster: string;
}

export async function loadClusters(store: Store, w: Window): Promise<ClusterVersions[]> {
  const rows: VersionRow[] = await clustersVersions.run(store, {
    from: w.from,
    to: w.to,
    cluster: w.cluster,
  });
  return deriveClusters(
    rows.map((r) => ({ ...r, first_seen: iso(r.first_seen), last_seen: iso(r.last_seen) })),
  );
}

/** A cluster's versions with its emulated version (null: no control-plane minor to judge against). */
export type ClusterWithEmulation = ClusterVersions & { emulatedVersion: EmulatedVersion | null };

/**
 * Each cluster's emulated version from its traffic over the window: one query over the APIs
 * any of the clusters' binaries would tell by (docs/upgrade-window.md). `catalog` is the
 * built-in one (a CRD's 404 says nothing about the control plane).
 */
export async function loadEmulation(
  store: Store,
  catalog: readonly Change[],
  clusters: readonly ClusterVersions[],
  w: Window,
): Promise<ClusterWithEmulation[]> {
  const served = defaultServed(catalog);
  const probesOf = new Map<string, ReturnType<typeof emulationProbes>>();
  for (const c of clusters)
    if (c.current !== null) probesOf.set(c.cluster, emulationProbes(served, minorNumber(c.current)));
  const keys = [...new Set([...probesOf.values()].flat().map(gvrKey))].sort();
  const named = [...probesOf.keys()];
  const starts = named.map((name) => binaryStart(clusters.find((c) => c.cluster === name)!, w.from));
  const rows: EmulationRow[] =
    keys.length === 0
      ? []
      : await clustersEmulation.run(store, {
          clusters: named,
          starts_ms: starts,
          from: new Date(Math.min(...starts)),
          to: w.to,
          groups: [...new Set(keys.map((k) => k.split('/')[0]!))],
          resources: resourcesOf(keys),
          gvr_keys: keys,
        });
  return clusters.map((c) => {
    const probes = probesOf.get(c.cluster);
    if (c.current === null || !probes) return { ...c, emulatedVersion: null };
    const own = rows.filter((r) => r.cluster === c.cluster);
    return { ...c, emulatedVersion: detectEmulation(minorNumber(c.current), probes, own) };
  });
}

/**
 * Since when a cluster's current binary answered alone: the end of the roll to its minor (before,
 * an older binary answering 404 for the new APIs proves nothing), else the window's start.
 */
function binaryStart(c: ClusterVersions, from: Date): number {
  const roll = c.upgrades.filter((u) => u.to === c.current).at(-1);
  return Math.max(from.getTime(), roll ? Date.parse(roll.completedAt) : 0);
}

/** Rows a listing query returns at most: memory stays bounded on any cluster; `truncated` says so. */
export const LIST_LIMIT = 1000;

export interface MixedResult {
  cluster: string;
  window: MixedWindow | null;
  writes: MixedWrite[];
  truncated: boolean;
}

/** Writes through the older apiserver during the mixed-version window of from -> to. */
export async function loadMixedWrites(
  store: Store,
  catalog: readonly Change[],
  c: ClusterVersions,
  from: number,
  to: number,
): Promise<MixedResult> {
  const window = mixedWindow(c, from, to);
  const keys = upgradeChanges(catalog, from, to).fieldChanged;
  if (!window || keys.length === 0)
    return { cluster: c.cluster, window: window ?? null, writes: [], truncated: false };
  const rows: MixedWriteRow[] = await upgradeMixedWrites.run(store, {
    cluster: c.cluster,
    start: new Date(window.start),
    end: new Date(window.end),
    resources: resourcesOf(keys),
    keys,
    older_apiservers: window.older,
    limit: LIST_LIMIT,
  });
  return { cluster: c.cluster, window, writes: mixedWrites(rows), truncated: rows.length >= LIST_LIMIT };
}

/** Hold-list rows kept at most: the largest writers, enough for a change ticket. */
export const HOLD_LIMIT = 50;

/** The roll plan for from -> to over the `weeks` whole weeks before `end`. */
export async function loadPlan(
  store: Store,
  catalog: readonly Change[],
  opts: { cluster: string; from: number; to: number; weeks: number; rollHours: number; end: Date },
): Promise<UpgradePlan & { changedResources: string[] }> {
  const keys = upgradeChanges(catalog, opts.from, opts.to).fieldChanged;
  const start = new Date(opts.end.getTime() - opts.weeks * 7 * 86_400_000);
  const params = {
    cluster: opts.cluster,
    from: start,
    to: opts.end,
    resources: resourcesOf(keys),
    keys,
  };
  if (keys.length === 0) return { ...planRoll([], opts), changedResources: keys };
  const rates: RateRow[] = await upgradeWriteRates.run(store, params);
  const plan = planRoll(rates, opts);
  const best = plan.windows[0]!;
  const rows: HoldRow[] = await upgradeHold.run(store, {
    ...params,
    hours: windowHours(best, opts.rollHours),
    limit: HOLD_LIMIT,
  });
  return { ...plan, hold: holdList(rows, opts.weeks, opts.rollHours), changedResources: keys };
}

/** Rollback readiness of a done upgrade from -> to, counting writes since `since`. */
export async function loadRollbackCheck(
  store: Store,
  catalog: readonly Change[],
  opts: { cluster: string; from: number; to: number; since: Date; end: Date },
): Promise<RollbackCheck & { truncated: boolean }> {
  const ch = upgradeChanges(catalog, opts.from, opts.to);
  const base = { cluster: opts.cluster, since: opts.since, to: opts.end, limit: LIST_LIMIT };
  const objectKeys = [...ch.newGroupVersions, ...ch.storageMoved];
  const objects: RollbackObjectRow[] =
    objectKeys.length === 0
      ? []
      : await rollbackObjects.run(store, {
          ...base,
          resources: resourcesOf(objectKeys),
          gvr_keys: ch.newGroupVersions,
          gr_keys: ch.storageMoved,
        });
  const fields: AddedFieldRow[] =
    ch.addedFields.length === 0
      ? []
      : await rollbackAddedFields.run(store, {
          ...base,
          resources: resourcesOf(ch.addedFields),
          keys: ch.addedFields,
        });
  return {
    ...rollbackCheck(
      { from: minorText(opts.from), to: minorText(opts.to), since: opts.since.toISOString() },
      objects,
      fields,
    ),
    truncated: objects.length >= LIST_LIMIT || fields.length >= LIST_LIMIT,
  };
}
