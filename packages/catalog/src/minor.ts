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

// 1.<minor>[.<patch>[<-|+><suffix>]], no leading zeros; a suffix needs a patch ('1.28-beta' is not a release).
const USER_VERSION =
  /^v?1\.(0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,3})(?:[-+][0-9A-Za-z][0-9A-Za-z.+-]{0,63})?)?$/;

/**
 * A version as a user gives it (--current, --target, --cluster-version, UPGRADE_*) or pastes it from
 * `kubectl version` or a provider's console: '1.28', 'v1.28', '1.28.3', 'v1.28.3', and a release
 * with a build suffix after the patch ('v1.28.3-gke.100', 'v1.29.1-eks-abc', 'v1.23.9+k3s1',
 * 'v1.31.0-rc.1'), read as its minor ('1.28'). A suffix never changes the minor: the schema a
 * provider serves is upstream's for that minor (a cluster emulating an older minor, KEP-4330, is
 * given as that minor).
 * Anything else is refused, as is a minor outside 1.16..1.36: a guessed version would give a wrong
 * list of changes.
 */
export function parseMinor(input: string): string {
  const m = USER_VERSION.exec(input.trim());
  if (!m) {
    throw new CatalogInputError(
      `not a Kubernetes version: '${input}' (use a minor like 1.28 or v1.28, or a release like 1.28.3, v1.28.3 or v1.28.3-gke.100)`,
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
