import { walkJsonPatch } from './json-patch.js';
import { DEFAULT_LIMITS, type Limits, PATHS_STATUSES, type PathSet, type PathsStatus } from './limits.js';
import type { ResourceShape } from './maps.js';
import { isPlainObject, Walker } from './walker.js';

/**
 * The paths of a request body. Objects (a full object for create/update, a JSON merge patch, a
 * strategic merge patch, a server-side apply configuration) are walked field by field; for a
 * patch, an array is a JSON patch and its operations' pointers are the paths. Anything else is
 * not-an-object, with no paths.
 */
export function extractPaths(
  verb: string,
  body: unknown,
  shape: ResourceShape,
  limits: Limits = DEFAULT_LIMITS,
): PathSet {
  const carried = carriedPaths(body, limits);
  if (carried) return carried;
  const w = new Walker(shape, limits);
  if (isPlainObject(body)) {
    w.object(body, '', '', 0, false);
    return w.result();
  }
  if (verb === 'patch' && Array.isArray(body)) {
    if (!walkJsonPatch(w, body, limits.maxDepth)) return { paths: [], status: 'not-an-object' };
    return w.result();
  }
  return { paths: [], status: 'not-an-object' };
}

/** Marker keys of a body already reduced to paths upstream (the webhook receiver, before Kafka). */
export const CARRIED_PATHS = '$radarPaths';
export const CARRIED_STATUS = '$radarStatus';

const PATH_SYNTAX = /^[A-Za-z_]\w*(\[\])*(\.(\*|[A-Za-z_]\w*)(\[\])*)*$/;

/** The stand-in for a body whose paths were taken before it left the process that received it. */
export function carriedBody(set: PathSet): Record<string, unknown> {
  return { [CARRIED_PATHS]: set.paths, [CARRIED_STATUS]: set.status };
}

/**
 * Reads a carried path set back. Every path is checked against the path syntax (a client could
 * send such a body itself; it can then claim fields, never smuggle values into storage).
 */
function carriedPaths(body: unknown, limits: Limits): PathSet | undefined {
  if (!isPlainObject(body) || !Array.isArray(body[CARRIED_PATHS])) return undefined;
  const keys = Object.keys(body);
  if (keys.length > 2 || (keys.length === 2 && !(CARRIED_STATUS in body))) return undefined;
  const raw = body[CARRIED_PATHS] as unknown[];
  const paths = raw
    .slice(0, limits.maxPaths)
    .filter((p): p is string => typeof p === 'string' && p.length <= 2048 && PATH_SYNTAX.test(p));
  const s = body[CARRIED_STATUS];
  const status: PathsStatus = (PATHS_STATUSES as readonly unknown[]).includes(s)
    ? (s as PathsStatus)
    : 'complete';
  return {
    paths: [...new Set(paths)].sort(),
    status: raw.length > limits.maxPaths ? 'too-many-paths' : status,
  };
}
