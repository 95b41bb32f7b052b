/** Kubernetes minors as numbers (28 for 1.28): traffic names versions in many spellings. */

// v1.28.3, 1.28.3, v1.28.3-gke.100, 1.28: anything else is not a version we can place.
const VERSION = /^v?1\.(0|[1-9]\d{0,2})(?:\.\d+)?(?:[-+].*)?$/;

/** The minor of a version as a user agent or a source names it; undefined when it is not one. */
export function minorOf(version: string): number | undefined {
  const m = VERSION.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** 28 -> '1.28', the catalog's spelling. */
export const minorText = (minor: number): string => `1.${minor}`;

/** '1.28' (a catalog minor, already validated) -> 28. */
export const minorNumber = (minor: string): number => Number(minor.slice(minor.indexOf('.') + 1));

/** A catalog change's `since` in (from, to]: the changes an upgrade from -> to brings. */
export const inUpgrade = (since: string, from: number, to: number): boolean => {
  const s = minorNumber(since);
  return s > from && s <= to;
};
