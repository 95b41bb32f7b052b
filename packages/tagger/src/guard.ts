/** The verdicts `radar guard` writes (packages/guard/src/decide.ts); anything else is stored as 'other'. */
export const GUARD_VERDICTS = ['denied', 'warned', 'would-deny', 'undecided'] as const;
export type GuardVerdict = (typeof GUARD_VERDICTS)[number] | 'other' | '';

const KNOWN: ReadonlySet<string> = new Set(GUARD_VERDICTS);
const MAX_FIELDS_CHARS = 1024;
const MAX_FIELD_CHARS = 256;
const MAX_FIELDS = 16;

/**
 * The guard's verdict annotation as stored. Absent or blank: '' (the guard gave none). A value
 * the guard does not write (a newer guard's verdict, a typo, a number, an object) is 'other':
 * something claimed a verdict, so it is counted, never refused, and never mistaken for a known one.
 */
export function guardVerdictOf(v: unknown): GuardVerdict {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') return 'other';
  const s = v.trim();
  if (s === '') return '';
  return KNOWN.has(s) ? (s as GuardVerdict) : 'other';
}

/**
 * The guard's fields annotation (`dropped:<path>,reset:<path>`) as stored: a string only (any
 * other JSON value stores ''), entries trimmed, empty and repeated ones dropped, at most 16 of at
 * most 256 characters each, 1024 in all. The guard itself cuts at 512 with '...'.
 */
export function guardFieldsOf(v: unknown): string {
  if (typeof v !== 'string' || v === '') return '';
  const seen = new Set<string>();
  let out = '';
  // Cut before splitting: a 1 GB string costs one slice, not a 1 GB split.
  for (const raw of v.slice(0, MAX_FIELDS * (MAX_FIELD_CHARS + 1)).split(',')) {
    const f = raw.trim().slice(0, MAX_FIELD_CHARS);
    if (f === '' || seen.has(f)) continue;
    if (seen.size === MAX_FIELDS || out.length + f.length + 1 > MAX_FIELDS_CHARS) break;
    seen.add(f);
    out = out === '' ? f : `${out},${f}`;
  }
  return out;
}
