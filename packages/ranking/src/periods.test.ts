import { describe, expect, it } from 'vitest';
import { hourPeriod, isoWeek, reportIdOf, reportKey, snapshotKey } from './periods.js';

describe('periods', () => {
  it('computes ISO weeks, including years whose week 1 starts in December', () => {
    expect(isoWeek(new Date('2026-03-10T09:00:00Z'))).toEqual({
      period: '2026-W11',
      start: new Date('2026-03-09T00:00:00Z'),
    });
    expect(isoWeek(new Date('2024-12-30T10:00:00Z')).period).toBe('2025-W01');
    expect(isoWeek(new Date('2021-01-03T10:00:00Z')).period).toBe('2020-W53');
    expect(isoWeek(new Date('2026-03-15T23:59:59Z')).period).toBe('2026-W11');
  });

  it('builds keys per hour and per week, upgrade pair and cluster', () => {
    const at = new Date('2026-03-10T09:41:00Z');
    expect(hourPeriod(at)).toBe('2026-03-10T09');
    expect(snapshotKey(at, '1.24', '1.25')).toBe('rank|2026-03-10T09|1.24|1.25|*');
    expect(reportKey('2026-W11', '1.24', '1.25', 'prod')).toBe('report|2026-W11|1.24|1.25|prod');
    expect(reportIdOf('2026-W11', '1.24', '1.25', 'eu/prod')).toBe('2026-W11_1.24-1.25_eu_prod');
  });
});
