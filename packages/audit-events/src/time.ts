/**
 * Audit times as the store can hold them. `ts` is DateTime64(3, 'UTC'), but the table is
 * partitioned by `toDate(ts)` and the rollup's `day` is `toDate(ts)`: Date holds 1970-01-01 ..
 * 2149-06-06 and wraps around outside it (seen on chDB 26.7: 1900 becomes 2079, year 1 becomes
 * 1974; year 0 is parsed as the current year; a year above 9999 or below 0 fails the insert).
 * So that range is the range of a storable time.
 */
export const MIN_TIME_MS = Date.UTC(1970, 0, 1);
export const MAX_TIME_MS = Date.UTC(2149, 5, 6, 23, 59, 59, 999);

export type TimeResult = { ok: true; ms: number; iso: string } | { ok: false; why: string };

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const NOT_RFC3339: TimeResult = { ok: false, why: 'not an RFC 3339 time' };
const NOT_CALENDAR: TimeResult = { ok: false, why: 'not a calendar time' };
const OUT_OF_RANGE: TimeResult = {
  ok: false,
  why: 'outside 1970-01-01..2149-06-06, the range the store can hold',
};

/** The number in s[i, i+n) when all of it is ASCII digits, else -1. */
function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Reads an audit time exactly and returns it in one canonical form, `YYYY-MM-DDTHH:MM:SS.sssZ`,
 * that the engine and Date.parse read alike. RFC 3339 / ISO 8601 extended, as apiservers and
 * collectors write it: `YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)fraction]]][Z|z|±HH[:]MM]`; no zone
 * means UTC, as the column's zone says (Date.parse would take the host's zone). The fraction is
 * cut to milliseconds, as the column does. Hand-written: a regex with groups cost 1 us per event.
 */
export function readTime(s: string): TimeResult {
  const len = s.length;
  const y = num(s, 0, 4);
  const mo = num(s, 5, 2);
  const d = num(s, 8, 2);
  if (len < 10 || y < 0 || mo < 0 || d < 0 || s[4] !== '-' || s[7] !== '-') return NOT_RFC3339;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let ms = 0;
  let fracEnd = 0;
  let i = 10;
  if (i < len) {
    const sep = s[10];
    if (sep !== 'T' && sep !== 't' && sep !== ' ') return NOT_RFC3339;
    h = num(s, 11, 2);
    mi = num(s, 14, 2);
    if (h < 0 || mi < 0 || s[13] !== ':') return NOT_RFC3339;
    i = 16;
    if (s[i] === ':') {
      sec = num(s, 17, 2);
      if (sec < 0) return NOT_RFC3339;
      i = 19;
      if (s[i] === '.' || s[i] === ',') {
        let k = i + 1;
        while (k < len && k - i <= 32 && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) k++;
        if (k === i + 1 || k - i > 32) return NOT_RFC3339;
        ms = Number(s.slice(i + 1, Math.min(k, i + 4)).padEnd(3, '0'));
        fracEnd = k;
        i = k;
      }
    }
  }
  let offset = 0;
  if (i < len) {
    const z = s[i];
    if ((z === 'Z' || z === 'z') && i + 1 === len) {
      // UTC
    } else if (z === '+' || z === '-') {
      const colon = s[i + 3] === ':' ? 1 : 0;
      const oh = num(s, i + 1, 2);
      const om = num(s, i + 3 + colon, 2);
      if (oh < 0 || om < 0 || i + 5 + colon !== len) return NOT_RFC3339;
      if (oh > 23 || om > 59) return NOT_CALENDAR;
      offset = (z === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
    } else return NOT_RFC3339;
  }
  const days = mo === 2 && leap(y) ? 29 : DAYS[mo - 1];
  if (days === undefined || d < 1 || d > days || h > 23 || mi > 59 || sec > 59) return NOT_CALENDAR;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset;
  // Date.UTC reads years 0..99 as 1900..1999: all of them are out of range anyway.
  if (y < 100 || t < MIN_TIME_MS || t > MAX_TIME_MS) return OUT_OF_RANGE;
  if (offset !== 0) return { ok: true, ms: t, iso: new Date(t).toISOString() };
  // UTC already: the canonical text is the input's own fields (no Date formatting).
  if (len === 24 && fracEnd === 23 && s[10] === 'T' && s[19] === '.' && s[23] === 'Z') {
    return { ok: true, ms: t, iso: s };
  }
  const frac = fracEnd === 0 ? '000' : String(ms).padStart(3, '0');
  const hms = len === 10 ? '00:00:00' : `${s.slice(11, 16)}:${i >= 19 || fracEnd ? s.slice(17, 19) : '00'}`;
  return { ok: true, ms: t, iso: `${s.slice(0, 10)}T${hms}.${frac}Z` };
}
