import semver from 'semver';
import { CatalogInputError } from './errors.js';

/** The Kubernetes minors the built-in catalog covers. */
export const FIRST_MINOR = 16;
export const LAST_MINOR = 36;
export const KNOWN_MINORS: readonly string[] = Array.from(
  { length: LAST_MINOR - FIRST_MINOR + 1 },
  (_, i) => `1.${FIRST_MINOR + i}`,
);

/** '1.18' -> 18. Only for minors the catalog wrote itself (already validated). */
export function minorNumber(minor: string): number {
  return Number(minor.slice(minor.indexOf('.') + 1));
}

export function compareMinors(a: string, b: string): number {
  return minorNumber(a) - minorNumber(b);
}

/**
 * Accepts '1.18', 'v1.18', '1.18.3', 'v1.18.3' (and a release's pre-release/build suffix, as
 * clusters report it: 'v1.18.3-gke.100', 'v1.18.9+k3s1') and returns the minor '1.18'. Anything
 * else, or a minor outside 1.16..1.36, is refused: a silently guessed version would give a wrong
 * list of changes.
 */
export function parseMinor(input: string): string {
  const s = input.trim();
  let minor: number | undefined;
  const short = /^v?1\.(\d{1,3})$/.exec(s);
  if (short) minor = Number(short[1]);
  else {
    const full = semver.parse(s.startsWith('v') ? s.slice(1) : s);
    if (full && full.major === 1) minor = full.minor;
  }
  if (minor === undefined) {
    throw new CatalogInputError(
      `not a Kubernetes version: '${input}' (use a minor like 1.18, v1.18, 1.18.3 or v1.18.3)`,
    );
  }
  if (minor < FIRST_MINOR || minor > LAST_MINOR) {
    throw new CatalogInputError(
      `unknown Kubernetes version '${input}': the catalog covers 1.${FIRST_MINOR} to 1.${LAST_MINOR}`,
    );
  }
  return `1.${minor}`;
}

/** Like parseMinor, but undefined instead of an error (for optional hints such as info.version). */
export function tryParseMinor(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  try {
    return parseMinor(input);
  } catch {
    return undefined;
  }
}
