import { describe, expect, it } from 'vitest';
import { hourLabel, planRoll, type RateRow } from './plan.js';

const rates = (f: (h: number) => number, ns = 'a'): RateRow[] =>
  Array.from({ length: 168 }, (_, h) => ({
    hour_of_week: h,
    api_group: 'apps',
    resource: 'deployments',
    namespace: ns,
    writes: f(h),
  }));

describe('planRoll', () => {
  it('picks the window with the fewest expected writes, averaged over the weeks', () => {
    const p = planRoll(
      rates((h) => (h === 50 || h === 51 ? 4 : 40)),
      { weeks: 4, rollHours: 2 },
    );
    expect(p.windows[0]).toEqual({
      startHour: 50,
      label: 'Wed 02:00-Wed 04:00 UTC',
      expectedWritesPerHour: 1,
    });
    expect(p.hold).toEqual([{ api: 'apps/deployments', namespace: 'a', expectedWritesPerHour: 1 }]);
    expect(p.byHourOfWeek[0]).toBe(10);
  });

  it('wraps over the end of the week and keeps the other windows apart', () => {
    const p = planRoll(
      rates((h) => (h === 167 || h === 0 ? 0 : h === 100 ? 1 : 5)),
      { weeks: 1, rollHours: 2 },
    );
    expect(p.windows[0]!.startHour).toBe(167);
    expect(p.windows[0]!.label).toBe('Sun 23:00-Mon 01:00 UTC');
    for (const w of p.windows.slice(1)) expect([166, 167, 0]).not.toContain(w.startHour);
    expect(p.windows[1]!.expectedWritesPerHour).toBe(3);
  });

  it('with no traffic at all, the earliest hour wins (a stable answer)', () => {
    const p = planRoll([], { weeks: 4, rollHours: 3 });
    expect(p.windows.map((w) => w.startHour)).toEqual([0, 3, 6]);
    expect(p.hold).toEqual([]);
  });

  it('refuses nonsense', () => {
    expect(() => planRoll([], { weeks: 0, rollHours: 2 })).toThrow(/weeks/);
    expect(() => planRoll([], { weeks: 1, rollHours: 25 })).toThrow(/roll hours/);
    expect(hourLabel(0)).toBe('Mon 00:00');
  });
});
