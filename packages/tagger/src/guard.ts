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
 * most 256 characters each, 1024 in all (the guard itself cuts its list at 512).
 */
export function guardFieldsOf(v: unknown): string {
  if (typeof v !== 'string' || v === '') return '';
  const seen = new Set<string>();
  let out = '';
  // Cut before splitting (a huge string costs one slice, not a huge split). A short piece of
  // the entry the cut went through would read as another field: dropped. A long entry is kept
  // cut, marked '...' as the guard marks its own cuts.
  const room = MAX_FIELDS * (MAX_FIELD_CHARS + 1);
  const entries = v.slice(0, room).split(',');
  if (v.length > room && v[room] !== ',' && entries.at(-1)!.length < MAX_FIELD_CHARS) entries.pop();
  for (const raw of entries) {
    const t = raw.trim();
    const f = t.length > MAX_FIELD_CHARS ? `${t.slice(0, MAX_FIELD_CHARS - 3)}...` : t;
    if (f === '' || seen.has(f)) continue;
    if (seen.size === MAX_FIELDS || out.length + f.length + 1 > MAX_FIELDS_CHARS) break;
    seen.add(f);
    out = out === '' ? f : `${out},${f}`;
  }
  return out;
}
