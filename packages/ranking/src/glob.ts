/** Shell-style glob: '*' any run of characters, '?' one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function globMatcher(globs: readonly string[]): (s: string) => boolean {
  const res = globs.map(globToRegExp);
  return (s) => res.some((r) => r.test(s));
}
