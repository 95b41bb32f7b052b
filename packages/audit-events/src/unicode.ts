// String.prototype.isWellFormed / toWellFormed are in Node 20 (V8 11.3) but only in the ES2024
// lib, which would also admit ES2024 APIs Node 20 lacks (Promise.withResolvers): typed here.
interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** The string with every lone UTF-16 surrogate replaced by U+FFFD (the same string when there is none). */
export function wellFormed(s: string): string {
  const w = s as unknown as WellFormed;
  return w.isWellFormed() ? s : w.toWellFormed();
}

export const isWellFormed = (s: string): boolean => (s as unknown as WellFormed).isWellFormed();
