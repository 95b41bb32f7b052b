/**
 * Audit times as the store can hold them. `ts` is DateTime64(3, 'UTC'), but the table is
 * partitioned by `toDate(ts)` and the rollup's `day` is `toDate(ts)`: Date holds 1970-01-01 ..
 * 2149-06-06 and wraps around outside it (seen on chDB 26.7: 1900 becomes 2079, year 1 becomes
 * 1974; year 0 is parsed as the current year; a year above 9999 or below 0 fails the insert).
 * So that range is the range of a storable time.
 */
export const MIN_TIME_MS = Date.UTC(1970, 0, 1);
export const MAX_TIME_MS = Date.UTC(2149, 5, 6, 23, 59, 59, 999);

// RFC 3339 / ISO 8601 extended: what apiservers and collectors write. No zone means UTC, as the
// column's zone says (Date.parse would take the host's zone instead).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,32}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export type TimeResult = { ok: true; ms: number; iso: string } | { ok: false; why: string };

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Reads an audit time exactly (fraction cut to milliseconds, as the column does) and returns it
 * in one canonical form, `YYYY-MM-DDTHH:MM:SS.sssZ`, that the engine and Date.parse read alike.
 */
export function readTime(s: string): TimeResult {
  const m = ISO.exec(s);
  if (!m) return { ok: false, why: 'not an RFC 3339 time' };
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const oh = m[10] === undefined ? 0 : Number(m[10]);
  const om = m[11] === undefined ? 0 : Number(m[11]);
  const days = mo === 2 && leap(y) ? 29 : DAYS[mo - 1];
  if (days === undefined || d < 1 || d > days || h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59) {
    return { ok: false, why: 'not a calendar time' };
  }
  const offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset;
  if (y < 1970 || t < MIN_TIME_MS || t > MAX_TIME_MS) {
    return { ok: false, why: 'outside 1970-01-01..2149-06-06, the range the store can hold' };
  }
  // Already canonical (a collector that writes milliseconds): no new string.
  const iso =
    s.length === 24 && m[8] === 'Z' && s[10] === 'T' && s[19] === '.' ? s : new Date(t).toISOString();
  return { ok: true, ms: t, iso };
}
