/** ISO 8601 week of a UTC instant: { period: '2026-W11', start: Monday 00:00 UTC }. */
export function isoWeek(d: Date): { period: string; start: Date } {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
  const start = new Date(day.getTime() - weekday * 86_400_000);
  // The week belongs to the year of its Thursday.
  const thursday = new Date(start.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  return { period: `${year}-W${String(week).padStart(2, '0')}`, start };
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
