import type { Limits, PathSet, PathsStatus } from './limits.js';
import { GENERIC_MAP_NAMES, type ResourceShape } from './maps.js';

/** A field name: anything else (`app.kubernetes.io/name`, `0`, `f:spec`) is a key of a map. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Objects with more keys than this are maps whatever their keys look like (no kind has so many fields). */
const MAX_FIELDS = 512;

/** Worst first: the status reported when several limits were hit. */
const SEVERITY: PathsStatus[] = ['too-large', 'too-many-paths', 'too-deep', 'sampled'];

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isFieldName = (k: string): boolean => FIELD.test(k);

/**
 * Collects the paths of one body within its limits. Recursion is bounded by maxDepth (never by
 * the input), loops by listSample and maxNodes, so a hostile body costs bounded time and stack.
 */
export class Walker {
  private readonly paths = new Set<string>();
  private readonly flags = new Set<PathsStatus>();
  private nodes = 0;
  /** Set when a hard limit (paths, nodes) stops the whole walk. */
  stopped = false;

  constructor(
    private readonly shape: ResourceShape,
    private readonly limits: Limits,
  ) {}

  result(): PathSet {
    const status = SEVERITY.find((s) => this.flags.has(s)) ?? 'complete';
    return { paths: [...this.paths].sort(), status };
  }

  /** Records a path; false when the cap is reached (the walk stops). */
  add(path: string): boolean {
    if (this.paths.has(path)) return true;
    if (this.paths.size >= this.limits.maxPaths) {
      this.stop('too-many-paths');
      return false;
    }
    this.paths.add(path);
    return true;
  }

  stop(why: PathsStatus): void {
    this.flags.add(why);
    this.stopped = true;
  }

  /** Counts one visited value; false once the walk is over (a limit was hit). */
  visit(): boolean {
    if (this.stopped) return false;
    if (++this.nodes > this.limits.maxNodes) {
      this.stop('too-large');
      return false;
    }
    return true;
  }

  isOpaque(path: string, key: string, parentKey: string): boolean {
    return this.shape.opaque.has(path) || (key === 'managedFields' && parentKey === 'metadata');
  }

  isMap(path: string, key: string, parentKey: string): boolean {
    if (this.shape.maps.has(path)) return true;
    if ((key === 'labels' || key === 'annotations') && parentKey === 'metadata') return true;
    return !this.shape.known && GENERIC_MAP_NAMES.has(key);
  }

  /** The value at `path` (already recorded), reached through field `key` of parent field `parentKey`. */
  value(v: unknown, path: string, key: string, parentKey: string, depth: number): void {
    if (typeof v !== 'object' || v === null) return;
    if (this.isOpaque(path, key, parentKey)) return;
    if (Array.isArray(v)) this.list(v, path, depth + 1);
    else this.object(v as Record<string, unknown>, path, key, depth + 1, this.isMap(path, key, parentKey));
  }

  /** The fields of an object; a map's keys are skipped and its structured values go under `.*`. */
  object(o: Record<string, unknown>, path: string, key: string, depth: number, map: boolean): void {
    if (!this.visit()) return;
    if (depth > this.limits.maxDepth) {
      this.flags.add('too-deep');
      return;
    }
    const keys = Object.keys(o);
    if (map || keys.length > MAX_FIELDS || !keys.every((k) => isFieldName(k) || k.startsWith('$'))) {
      this.mapValues(o, keys, path, depth);
      return;
    }
    // A strategic-merge-patch list item marked for deletion sets nothing.
    if (o.$patch === 'delete') return;
    for (const k of keys) {
      // `$patch`, `$retainKeys`, `$setElementOrder/...`: patch directives, not fields.
      if (k.startsWith('$')) continue;
      const v = o[k];
      // null: a merge patch deleting the field, or an update leaving it out.
      if (v === null || v === undefined) continue;
      const child = path === '' ? k : `${path}.${k}`;
      if (!this.add(child)) return;
      this.value(v, child, k, key, depth);
      if (this.stopped) return;
    }
  }

  private mapValues(o: Record<string, unknown>, keys: string[], path: string, depth: number): void {
    const n = Math.min(keys.length, this.limits.listSample);
    if (keys.length > n) this.flags.add('sampled');
    const child = `${path}.*`;
    for (let i = 0; i < n && !this.stopped; i++) {
      const v = o[keys[i]!];
      if (typeof v !== 'object' || v === null) continue;
      if (!this.add(child)) return;
      this.value(v, child, '*', '', depth);
    }
  }

  /** List items go under `[]`; only the first listSample items are read. */
  list(items: unknown[], path: string, depth: number): void {
    if (!this.visit()) return;
    if (depth > this.limits.maxDepth) {
      this.flags.add('too-deep');
      return;
    }
    const n = Math.min(items.length, this.limits.listSample);
    if (items.length > n) this.flags.add('sampled');
    const child = `${path}[]`;
    for (let i = 0; i < n && !this.stopped; i++) this.value(items[i], child, '', '', depth);
  }
}
