import { describe, expect, it } from 'vitest';
import { parseSchedule, ScheduleError, tickOf } from './schedule.js';

describe('parseSchedule', () => {
  it('reads intervals with units or plain milliseconds', () => {
    expect(parseSchedule('1m', 'UTC', 'X')).toEqual({ every: 60_000 });
    expect(parseSchedule('30s', 'UTC', 'X')).toEqual({ every: 30_000 });
    expect(parseSchedule('2h', 'UTC', 'X')).toEqual({ every: 7_200_000 });
    expect(parseSchedule('750', 'UTC', 'X')).toEqual({ every: 750 });
    expect(parseSchedule('500ms', 'UTC', 'X')).toEqual({ every: 500 });
  });

  it('keeps cron patterns with their time zone', () => {
    expect(parseSchedule(' 0  8 * * 1 ', 'Europe/Paris', 'X')).toEqual({
      pattern: '0 8 * * 1',
      tz: 'Europe/Paris',
    });
    expect(parseSchedule('*/10 * * * * *', 'UTC', 'X')).toEqual({ pattern: '*/10 * * * * *', tz: 'UTC' });
  });

  it('names the variable of a bad schedule', () => {
    expect(() => parseSchedule('50ms', 'UTC', 'SCHEDULE_ALERT_CHECK')).toThrow(
      'SCHEDULE_ALERT_CHECK: interval "50ms" must be at least 100ms',
    );
    expect(() => parseSchedule('every monday', 'UTC', 'SCHEDULE_WEEKLY_REPORT')).toThrow(ScheduleError);
    expect(() => parseSchedule('0 8 * *', 'UTC', 'SCHEDULE_WEEKLY_REPORT')).toThrow(/SCHEDULE_WEEKLY_REPORT/);
  });
});

describe('tickOf', () => {
  it('prefers the planned iteration time over the creation time', () => {
    expect(tickOf({ opts: { prevMillis: 1000 }, timestamp: 5 }).getTime()).toBe(1000);
    expect(tickOf({ opts: {}, timestamp: 5 }).getTime()).toBe(5);
  });
});
