/** Hour of the week as ClickHouse computes it: (toDayOfWeek(ts) - 1) * 24 + toHour(ts), Monday 00:00 UTC = 0. */
export const HOURS_PER_WEEK = 168;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** One row of queries/upgrade_write_rates.sql: writes at one hour of the week, summed over the weeks. */
export interface RateRow {
  hour_of_week: number;
  writes: number;
}

/** One row of queries/upgrade_hold.sql: writes of one resource and namespace in the window's hours. */
export interface HoldRow {
  api_group: string;
  resource: string;
  namespace: string;
  writes: number;
}

export interface RollWindow {
  /** First hour of the week of the window, and a label: 'Sun 03:00-Sun 05:00 UTC'. */
  startHour: number;
  label: string;
  /** Expected writes per hour on the changed resources, averaged over the window's hours. */
  expectedWritesPerHour: number;
}

export interface HoldItem {
  api: string;
  namespace: string;
  expectedWritesPerHour: number;
}

export interface UpgradePlan {
  weeks: number;
  rollHours: number;
  /** Expected writes per hour at each hour of the week (168 values). */
  byHourOfWeek: number[];
  /** The quietest windows, best first, not overlapping. */
  windows: RollWindow[];
  /** During the best window: whose writes to hold, largest first (holdList). */
  hold: HoldItem[];
}

/** The hours of the week a window covers (for queries/upgrade_hold.sql). */
export const windowHours = (w: RollWindow, rollHours: number): number[] =>
  Array.from({ length: rollHours }, (_, i) => (w.startHour + i) % HOURS_PER_WEEK);

export const hourLabel = (h: number): string =>
  `${DAYS[Math.floor(h / 24) % 7]} ${String(h % 24).padStart(2, '0')}:00`;

const windowLabel = (start: number, hours: number) =>
  `${hourLabel(start)}-${hourLabel((start + hours) % HOURS_PER_WEEK)} UTC`;

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Plans the apiserver roll from the write rates of the resources the upgrade changes: a window of
 * `rollHours` consecutive hours (wrapping over the week's end) with the fewest expected writes,
 * and the next quietest ones that do not overlap it. Ties go to the earliest hour of the week, so
 * the answer is stable. `hold` is left empty: holdList fills it from the best window's writers.
 */
export function planRoll(
  rows: readonly RateRow[],
  opts: { weeks: number; rollHours: number; windows?: number },
): UpgradePlan {
  const { weeks, rollHours } = opts;
  if (!Number.isInteger(weeks) || weeks < 1)
    throw new RangeError(`weeks must be a whole number >= 1, got ${weeks}`);
  if (!Number.isInteger(rollHours) || rollHours < 1 || rollHours > 24)
    throw new RangeError(`roll hours must be a whole number in 1..24, got ${rollHours}`);
  const by = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const r of rows) {
    const h = Number(r.hour_of_week);
    if (h >= 0 && h < HOURS_PER_WEEK) by[h] = by[h]! + Number(r.writes) / weeks;
  }
  const sumAt = (start: number) => {
    let s = 0;
    for (let i = 0; i < rollHours; i++) s += by[(start + i) % HOURS_PER_WEEK]!;
    return s;
  };
  const candidates = Array.from({ length: HOURS_PER_WEEK }, (_, h) => ({ h, sum: sumAt(h) })).sort(
    (a, b) => a.sum - b.sum || a.h - b.h,
  );
  const overlaps = (a: number, b: number) => {
    const d = Math.abs(a - b);
    return Math.min(d, HOURS_PER_WEEK - d) < rollHours;
  };
  const chosen: { h: number; sum: number }[] = [];
  for (const c of candidates) {
    if (chosen.length >= (opts.windows ?? 3)) break;
    if (!chosen.some((x) => overlaps(x.h, c.h))) chosen.push(c);
  }
  return {
    weeks,
    rollHours,
    byHourOfWeek: by.map(round),
    windows: chosen.map((c) => ({
      startHour: c.h,
      label: windowLabel(c.h, rollHours),
      expectedWritesPerHour: round(c.sum / rollHours),
    })),
    hold: [],
  };
}

/** Whose writes to hold during a window: expected writes per hour of each resource/namespace. */
export function holdList(rows: readonly HoldRow[], weeks: number, rollHours: number): HoldItem[] {
  return rows
    .map((r) => ({
      api: `${r.api_group || 'core'}/${r.resource}`,
      namespace: r.namespace,
      expectedWritesPerHour: round(Number(r.writes) / weeks / rollHours),
    }))
    .sort(
      (a, b) =>
        b.expectedWritesPerHour - a.expectedWritesPerHour ||
        a.api.localeCompare(b.api) ||
        a.namespace.localeCompare(b.namespace),
    );
}
