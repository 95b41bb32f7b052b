import { gvrKey, normalizeGroup, objectAliases, objectKey } from './objects.js';
import type { Change, Severity } from './types.js';
import { minorNumber } from './versions.js';

/** Verbs that put an object into storage: they write it in the (new) storage version. */
const STORAGE_WRITES = new Set(['create', 'update', 'patch']);

interface Indexed {
  change: Change;
  since: number;
}

/** The catalog cut down to what matters for one upgrade, keyed the way requests are looked up. */
export interface RiskIndex {
  current: number;
  target: number;
  removed: Map<string, Indexed[]>;
  deprecated: Map<string, Indexed[]>;
  fields: Map<string, Indexed[]>;
  storage: Map<string, Indexed[]>;
  /** Parameters of the rank_* / report_* queries: only rollup rows that can match are read. */
  sqlParams: {
    gvr_keys: string[];
    field_objects: string[];
    /** Per field_objects entry: the newest change's minor; clients at or above it are safe. */
    field_max_since: number[];
    storage_objects: string[];
    resources: string[];
    all_resources: 0 | 1;
  };
}

function push(map: Map<string, Indexed[]>, key: string, item: Indexed): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/**
 * Builds the index for current -> target (minors). current may be 0 to ask "every change up to
 * target" (what alerting needs: changes in (client's version, cluster version]).
 * - removed / deprecated: releases <= target (a request to an API already gone still fails);
 * - field-added / default-changed / storage-version-changed: releases in (current, target].
 * A resource of '' or '*' on a removal or deprecation stands for the whole group/version.
 */
export function buildRiskIndex(catalog: readonly Change[], current: number, target: number): RiskIndex {
  const idx: RiskIndex = {
    current,
    target,
    removed: new Map(),
    deprecated: new Map(),
    fields: new Map(),
    storage: new Map(),
    sqlParams: {
      gvr_keys: [],
      field_objects: [],
      field_max_since: [],
      storage_objects: [],
      resources: [],
      all_resources: 0,
    },
  };
  const fieldObjects = new Map<string, number>();
  const storageObjects = new Set<string>();
  const resources = new Set<string>();
  for (const change of catalog) {
    const since = minorNumber(change.since, `catalog change since (${change.source})`);
    const group = normalizeGroup(change.group);
    const resource = change.resource === '' ? '*' : change.resource;
    const item = { change, since };
    const inUpgrade = since > current && since <= target;
    switch (change.change) {
      case 'gvk-removed':
        if (since <= target) push(idx.removed, gvrKey(group, change.version, resource), item);
        break;
      case 'gvk-deprecated':
        if (since <= target) push(idx.deprecated, gvrKey(group, change.version, resource), item);
        break;
      case 'field-added':
      case 'default-changed':
        if (!inUpgrade || resource === '*') break;
        push(idx.fields, objectKey(group, resource), item);
        for (const a of objectAliases(group, resource))
          fieldObjects.set(a, Math.max(since, fieldObjects.get(a) ?? 0));
        resources.add(resource);
        break;
      case 'storage-version-changed':
        if (!inUpgrade || resource === '*') break;
        push(idx.storage, objectKey(group, resource), item);
        for (const a of objectAliases(group, resource)) storageObjects.add(a);
        resources.add(resource);
        break;
      default:
        // gvk-added and field-removed break no existing client.
        break;
    }
  }
  const gvrs = new Set([...idx.removed.keys(), ...idx.deprecated.keys()]);
  let wholeGroupVersion = false;
  for (const k of gvrs) {
    const r = k.slice(k.lastIndexOf('/') + 1);
    if (r === '*') wholeGroupVersion = true;
    else resources.add(r);
  }
  const fieldKeys = [...fieldObjects.keys()].sort();
  idx.sqlParams = {
    gvr_keys: [...gvrs].sort(),
    field_objects: fieldKeys,
    field_max_since: fieldKeys.map((k) => fieldObjects.get(k)!),
    storage_objects: [...storageObjects].sort(),
    resources: [...resources].sort(),
    all_resources: wholeGroupVersion ? 1 : 0,
  };
  return idx;
}

export interface RequestShape {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  verb: string;
  /** Kubernetes minor the client was built against; 0 = cannot be told. */
  kubeMinor: number;
  /** When kubeMinor is 0: the minor the client's own requests prove it knows (0 = nothing proven). */
  kubeMinorFloor?: number;
}

export interface RiskHit {
  change: Change;
  severity: Severity;
}

function lookup(map: Map<string, Indexed[]>, r: RequestShape): Indexed[] {
  return [
    ...(map.get(gvrKey(r.group, r.version, r.resource)) ?? []),
    ...(map.get(gvrKey(r.group, r.version, '*')) ?? []),
  ];
}

/**
 * The risk model for one kind of request (see docs/ranking.md):
 * - any verb on a removed group/version/resource: critical; nothing else is reported for it,
 *   since the request will not reach the object after the upgrade;
 * - any verb on a deprecated one: low;
 * - a full update (PUT, no subresource) of an object with a field added or a default changed
 *   after the client's release: high, or needs-verification when the client's release is
 *   unknown. status/scale and other subresources carry no spec, and patch/create/delete/reads
 *   do not replace the object, so none of them lose fields;
 * - create/update/patch of an object whose storage version moves: info.
 */
export function assessRequest(r: RequestShape, idx: RiskIndex): RiskHit[] {
  const removed = lookup(idx.removed, r);
  if (removed.length > 0) return removed.map((i) => ({ change: i.change, severity: 'critical' }));
  const hits: RiskHit[] = lookup(idx.deprecated, r).map((i) => ({ change: i.change, severity: 'low' }));
  const obj = objectKey(r.group, r.resource);
  if (r.verb === 'update' && r.subresource === '') {
    for (const i of idx.fields.get(obj) ?? []) {
      if (r.kubeMinor === 0) {
        // Proven new enough by the fields it sends: not at risk for changes up to that release.
        if ((r.kubeMinorFloor ?? 0) < i.since)
          hits.push({ change: i.change, severity: 'needs-verification' });
      } else if (r.kubeMinor < i.since) hits.push({ change: i.change, severity: 'high' });
    }
  }
  if (STORAGE_WRITES.has(r.verb) && r.subresource === '') {
    for (const i of idx.storage.get(obj) ?? []) hits.push({ change: i.change, severity: 'info' });
  }
  return hits;
}
