import { describe, expect, it } from 'vitest';
import { holdList, hourLabel, planRoll, type RateRow, windowHours } from './plan.js';

const rates = (f: (h: number) => number): RateRow[] =>
  Array.from({ length: 168 }, (_, h) => ({ hour_of_week: h, writes: f(h) }));

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
    expect(p.byHourOfWeek[0]).toBe(10);
    expect(windowHours(p.windows[0]!, 2)).toEqual([50, 51]);
  });

  it('wraps over the end of the week and keeps the other windows apart', () => {
    const p = planRoll(
      rates((h) => (h === 167 || h === 0 ? 0 : h === 100 ? 1 : 5)),
      { weeks: 1, rollHours: 2 },
    );
    expect(p.windows[0]!.startHour).toBe(167);
    expect(p.windows[0]!.label).toBe('Sun 23:00-Mon 01:00 UTC');
    expect(windowHours(p.windows[0]!, 2)).toEqual([167, 0]);
    for (const w of p.windows.slice(1)) expect([166, 167, 0]).not.toContain(w.startHour);
    expect(p.windows[1]!.expectedWritesPerHour).toBe(3);
  });

  it('with no traffic at all, the earliest hour wins (a stable answer); hours out of range are ignored', () => {
    const p = planRoll([{ hour_of_week: 500, writes: 9 }], { weeks: 4, rollHours: 3 });
    expect(p.windows.map((w) => w.startHour)).toEqual([0, 3, 6]);
    expect(p.byHourOfWeek.every((x) => x === 0)).toBe(true);
  });

  it('refuses nonsense', () => {
    expect(() => planRoll([], { weeks: 0, rollHours: 2 })).toThrow(/weeks/);
    expect(() => planRoll([], { weeks: 1, rollHours: 25 })).toThrow(/roll hours/);
    expect(hourLabel(0)).toBe('Mon 00:00');
  });
});

describe('holdList', () => {
  it('expected writes per hour of each resource and namespace, largest first', () => {
    expect(
      holdList(
        [
          { api_group: '', resource: 'pods', namespace: 'a', writes: 8 },
          { api_group: 'apps', resource: 'deployments', namespace: 'b', writes: 16 },
        ],
        4,
        2,
      ),
    ).toEqual([
      { api: 'apps/deployments', namespace: 'b', expectedWritesPerHour: 2 },
      { api: 'core/pods', namespace: 'a', expectedWritesPerHour: 1 },
    ]);
  });
});
