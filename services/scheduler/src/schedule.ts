/** What a Job Scheduler repeats on: a fixed interval, or a cron pattern in a time zone. */
export type Repeat = { every: number } | { pattern: string; tz: string };

/** A schedule the configuration got wrong; the message names the variable. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/**
 * `30s`, `1m`, `2h`, `500ms` or plain milliseconds -> every; anything else is a cron pattern of
 * 5 fields (or 6 with seconds), evaluated in `tz`. bullmq validates the pattern itself on upsert.
 */
export function parseSchedule(spec: string, tz: string, what: string): Repeat {
  const s = spec.trim();
  const interval = /^(\d+)(ms|s|m|h)?$/.exec(s);
  if (interval) {
    const every = Number(interval[1]) * UNIT_MS[(interval[2] ?? 'ms') as keyof typeof UNIT_MS];
    if (!Number.isSafeInteger(every) || every < 100) {
      throw new ScheduleError(`${what}: interval "${spec}" must be at least 100ms`);
    }
    return { every };
  }
  const fields = s.split(/\s+/);
  if (fields.length < 5 || fields.length > 6 || fields.some((f) => !/^[\d*/,?LW#A-Za-z-]+$/.test(f))) {
    throw new ScheduleError(
      `${what}: "${spec}" is neither a cron pattern like "0 8 * * 1" nor an interval like 1m`,
    );
  }
  return { pattern: fields.join(' '), tz };
}

export function describeRepeat(r: Repeat): string {
  return 'every' in r ? `every ${r.every} ms` : `cron "${r.pattern}" (${r.tz})`;
}

/**
 * The instant a scheduled job stands for: the iteration time bullmq planned (prevMillis), not
 * when a worker got to it, so a retry or a second run covers the same period.
 */
export function tickOf(job: { opts: { prevMillis?: number }; timestamp: number }): Date {
  return new Date(job.opts.prevMillis ?? job.timestamp);
}
