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
 * A version a user gives (--current, --target, --cluster-version, UPGRADE_*): exactly '1.18',
 * 'v1.18' or '1.18.3', read as the minor '1.18'. Anything else is refused, 'v1.18.3' included (the
 * forms the catalog accepts are fixed by issue 3), as is a minor outside 1.16..1.36: a silently
 * guessed version would give a wrong list of changes.
 */
export function parseMinor(input: string): string {
  const s = input.trim();
  const m = /^v?1\.(\d{1,3})$/.exec(s) ?? /^1\.(\d{1,3})\.\d{1,4}$/.exec(s);
  if (!m) {
    throw new CatalogInputError(
      `not a Kubernetes version: '${input}' (use a minor like 1.18, v1.18 or 1.18.3)`,
    );
  }
  return inRange(Number(m[1]), input);
}

/**
 * A version a document or a cluster reports about itself (a spec's info.version 'v1.28.3', a
 * server's 'v1.18.12-gke.1210'): any release form, read as its minor.
 */
export function parseReportedMinor(input: string): string {
  const s = input.trim();
  const full = semver.parse(s.startsWith('v') ? s.slice(1) : s);
  if (full?.major !== 1) return parseMinor(input);
  return inRange(full.minor, input);
}

function inRange(minor: number, input: string): string {
  if (minor < FIRST_MINOR || minor > LAST_MINOR) {
    throw new CatalogInputError(
      `unknown Kubernetes version '${input}': the catalog covers 1.${FIRST_MINOR} to 1.${LAST_MINOR}`,
    );
  }
  return `1.${minor}`;
}

/** Like parseReportedMinor, but undefined instead of an error (for hints such as info.version). */
export function tryParseMinor(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  try {
    return parseReportedMinor(input);
  } catch {
    return undefined;
  }
}
