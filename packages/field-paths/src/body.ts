import type { DenyList } from './deny.js';
import { carriedBody, extractPaths } from './extract.js';
import type { Limits, PathSet } from './limits.js';
import type { MapIndex } from './maps.js';
import { isPlainObject } from './walker.js';

/** What the ingest pipeline needs to reduce bodies to paths (built once per process by a service). */
export interface BodyConfig {
  /** false: bodies are dropped unread (status not-extracted); the benchmark's baseline. */
  extract: boolean;
  limits: Limits;
  deny: DenyList;
  maps: MapIndex;
}

/** The parts of an audit event this module reads (validated or raw). */
export interface EventLike {
  verb?: unknown;
  objectRef?: unknown;
  requestObject?: unknown;
  responseObject?: unknown;
}

/** Requests whose body is (part of) an object: who sets what. */
const WRITES = new Set(['create', 'update', 'patch']);

function target(ev: EventLike): { group: string; resource: string; subresource: string } | undefined {
  const ref = ev.objectRef;
  if (!isPlainObject(ref) || typeof ref.resource !== 'string' || ref.resource === '') return undefined;
  return {
    group: typeof ref.apiGroup === 'string' ? ref.apiGroup : '',
    resource: ref.resource,
    subresource: typeof ref.subresource === 'string' ? ref.subresource : '',
  };
}

/**
 * Takes the bodies out of an event (always: no value goes further than this call) and returns
 * the request's paths when it writes an object (create, update, patch; no subresource, whose
 * bodies are Scale, Eviction or status). Undefined when there is nothing to record.
 */
export function takeRequestPaths(ev: EventLike, cfg: BodyConfig): PathSet | undefined {
  const body = ev.requestObject;
  delete ev.requestObject;
  delete ev.responseObject;
  if (body === undefined || typeof ev.verb !== 'string' || !WRITES.has(ev.verb)) return undefined;
  const t = target(ev);
  if (t === undefined || t.subresource !== '') return undefined;
  if (!cfg.extract) return { paths: [], status: 'not-extracted' };
  return extractPaths(ev.verb, body, cfg.maps.forResource(`${t.group}/${t.resource}`), cfg.limits);
}

/**
 * For a process that forwards raw events (the webhook receiver in front of Kafka): a denied
 * resource's body is replaced by its paths here, so it never reaches the topic. Other events pass
 * untouched (the ingest worker reduces them). Returns true when the event was changed.
 */
export function reduceDeniedBody(item: unknown, cfg: BodyConfig): boolean {
  if (!isPlainObject(item)) return false;
  if (item.requestObject === undefined && item.responseObject === undefined) return false;
  const t = target(item);
  if (!t || !cfg.deny.matches(t.group, t.resource)) return false;
  const set = takeRequestPaths(item, cfg);
  if (set) item.requestObject = carriedBody(set);
  return true;
}
