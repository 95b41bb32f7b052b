import { UTCDate } from '@date-fns/utc';
import { getISOWeek, getISOWeekYear, startOfISOWeek } from 'date-fns';
/** ISO 8601 week of a UTC instant: { period: '2026-W11', start: Monday 00:00 UTC }. */
export function isoWeek(d: Date): { period: string; start: Date } {
  // UTCDate: date-fns computes in the process time zone otherwise, and weeks here are UTC.
  const at = new UTCDate(d.getTime());
  const week = String(getISOWeek(at)).padStart(2, '0');
  return { period: `${getISOWeekYear(at)}-W${week}`, start: new Date(startOfISOWeek(at).getTime()) };
}

/** The UTC hour of an instant: '2026-03-10T09'. */
export function hourPeriod(d: Date): string {
  return d.toISOString().slice(0, 13);
}

function clusterPart(cluster: string | null | undefined): string {
  return cluster ? cluster : '*';
}

/** Idempotency key of an hourly rank snapshot. */
export function snapshotKey(at: Date, current: string, target: string, cluster?: string | null): string {
  return `rank|${hourPeriod(at)}|${current}|${target}|${clusterPart(cluster)}`;
}

/** Idempotency key of a weekly report: ISO week + upgrade pair + cluster. */
export function reportKey(period: string, current: string, target: string, cluster?: string | null): string {
  return `report|${period}|${current}|${target}|${clusterPart(cluster)}`;
}

/** A file- and URL-safe id for a report key: '2026-W11_1.24-1.25_all'. */
export function reportIdOf(period: string, current: string, target: string, cluster?: string | null): string {
  const c = (cluster || 'all').replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${period}_${current}-${target}_${c}`;
}
