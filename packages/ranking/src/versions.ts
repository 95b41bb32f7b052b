import { RankInputError } from './errors.js';

/**
 * '1.18', 'v1.18.3', '1.18.0-rc.1' -> 18. Only Kubernetes 1.x exists; anything else is a
 * mistake of the caller (whether the release is known is the catalog's call, see parseMinor).
 */
export function minorNumber(version: string, what = 'version'): number {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  if (!m) throw new RankInputError(`${what} "${version}" is not a Kubernetes version like 1.28 or v1.28.3`);
  return Number(m[1]);
}

export function minorString(minor: number): string {
  return `1.${minor}`;
}

/**
 * A version override may name the Kubernetes release ('1.28', 'v1.28.4') or the client-go
 * module version the program was built with ('v0.28.4'): client-go v0.X is Kubernetes 1.X.
 */
export function kubeMinorOfOverride(version: string): number | undefined {
  const m = /^v?([01])\.(\d{1,3})(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  if (!m) return undefined;
  const minor = Number(m[2]);
  return minor > 0 ? minor : undefined;
}
