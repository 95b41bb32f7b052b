/** Shell-style glob ('*' any run, '?' one character) as a predicate; everything else literal. */
export function globMatcher(globs: readonly string[]): (s: string) => boolean {
  const res = globs.map((g) => {
    let re = '';
    for (const ch of g) {
      if (ch === '*') re += '.*';
      else if (ch === '?') re += '.';
      else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  });
  return (s) => res.some((r) => r.test(s));
}
