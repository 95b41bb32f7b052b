import { CatalogInputError, type Change, parseMinor } from '@radar/catalog';
import { InputError } from '@radar/errors';

/**
 * One field the guard watches: a path an older client does not know (field-added) or whose
 * default moved (default-changed), on one group/version/resource. The object an admission
 * webhook sees is in the version of the matched rule, so rules are kept per version.
 */
export interface GuardRule {
  group: string;
  version: string;
  resource: string;
  /** Catalog path: `spec.rules[].http.paths[].pathType`, `*` for map values. */
  path: string;
  change: 'field-added' | 'default-changed';
  /** Minor that brought the change ('1.18'); a client built against it or later knows it. */
  since: string;
  sinceNumber: number;
  /** Values the server fills in when a client leaves the field out (ifOmitted, old/new default). */
  defaults: unknown[];
}

export interface RuleSet {
  from: string;
  to: string;
  /** `group/version/resource` -> its rules. */
  byResource: ReadonlyMap<string, readonly GuardRule[]>;
  /** Every watched path (for the learning query's evidence filter). */
  paths: readonly string[];
}

export const resourceKey = (group: string, version: string, resource: string) =>
  `${group}/${version}/${resource}`;

export const minorNumber = (minor: string) => Number(minor.slice(minor.indexOf('.') + 1));

/** The guard's rules for an upgrade from `from` to `to`: field changes with since in (from, to]. */
export function buildRules(changes: readonly Change[], from: string, to: string): RuleSet {
  const f = minorNumber(minorOf('--from', from));
  const t = minorNumber(minorOf('--to', to));
  if (t < f) throw new InputError(`--to ${to} is older than --from ${from}`);
  const byResource = new Map<string, GuardRule[]>();
  const paths = new Set<string>();
  for (const c of changes) {
    if ((c.change !== 'field-added' && c.change !== 'default-changed') || !c.path) continue;
    const since = minorNumber(c.since);
    if (since <= f || since > t) continue;
    const key = resourceKey(c.group, c.version, c.resource);
    let list = byResource.get(key);
    if (!list) {
      list = [];
      byResource.set(key, list);
    }
    let rule = list.find((r) => r.path === c.path);
    if (!rule) {
      rule = {
        group: c.group,
        version: c.version,
        resource: c.resource,
        path: c.path,
        change: c.change,
        since: c.since,
        sinceNumber: since,
        defaults: [],
      };
      list.push(rule);
    } else if (since > rule.sinceNumber) {
      rule.since = c.since;
      rule.sinceNumber = since;
    }
    for (const d of defaultsOf(c)) if (!rule.defaults.some((x) => sameValue(x, d))) rule.defaults.push(d);
    paths.add(c.path);
  }
  return { from: minorOf('--from', from), to: minorOf('--to', to), byResource, paths: [...paths].sort() };
}

/** A version option, parsed; a mistake is an input error naming the option (exit 2). */
function minorOf(option: string, v: string): string {
  try {
    return parseMinor(v);
  } catch (err) {
    if (err instanceof CatalogInputError) throw new InputError(`${option} ${v}: ${err.message}`);
    throw err;
  }
}

/** Default values a record names; ifOmitted is prose in places ("a sidecar becomes ..."): kept as is, it simply never matches. */
function defaultsOf(c: Change): unknown[] {
  const d = c.details;
  if (!d) return [];
  const out: unknown[] = [];
  if (d.ifOmitted !== undefined) out.push(d.ifOmitted);
  if (d.oldDefault !== undefined) out.push(d.oldDefault);
  if (d.newDefault !== undefined) out.push(d.newDefault);
  return out;
}

/** Equal JSON values; a catalog default written as a string ('true', '0') matches the scalar. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    return (
      scalar(a) && scalar(b) && String(a) === String(b) && (typeof a === 'string' || typeof b === 'string')
    );
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
