/** Bounds on the work spent on one request body; every one is checked as the body is walked. */
export interface Limits {
  /** Paths kept per object; a body with more is marked too-many-paths. */
  maxPaths: number;
  /** Nesting levels entered (objects and lists); deeper parts are marked too-deep. */
  maxDepth: number;
  /** Items looked at per list (and values per free-form map): the first K. */
  listSample: number;
  /** Values visited per body; past it the body is marked too-large. */
  maxNodes: number;
}

export const DEFAULT_LIMITS: Limits = { maxPaths: 2000, maxDepth: 32, listSample: 50, maxNodes: 100_000 };

/**
 * How complete a request's path set is. Only complete and sampled sets can tell that a field was
 * left out; the others still prove what was sent.
 * - complete: every field of the body is in the set;
 * - sampled: a list (or map) was longer than listSample, only its first items were read;
 * - too-many-paths / too-deep / too-large: the walk stopped at a limit, the set is partial;
 * - not-an-object: the body is not an object (or, for a patch, not a JSON patch either): no paths;
 * - not-extracted: extraction is switched off (the body was dropped unread).
 * The empty string is stored for requests without a body (Metadata level, reads, subresources).
 */
export const PATHS_STATUSES = [
  'complete',
  'sampled',
  'too-deep',
  'too-many-paths',
  'too-large',
  'not-an-object',
  'not-extracted',
] as const;
export type PathsStatus = (typeof PATHS_STATUSES)[number];

/** The request's fields, as paths (`spec.template.spec.containers[].name`), never values. */
export interface PathSet {
  paths: string[];
  status: PathsStatus;
}

/** Statuses whose path set is whole enough to say a field was omitted. */
export const OMISSION_STATUSES: readonly PathsStatus[] = ['complete', 'sampled'];
