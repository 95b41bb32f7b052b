import { evidenceSetFields, type RowOf, type Store } from '@radar/store';
import { type EvidenceTarget, minorOf, targetParams } from './targets.js';

/** A field a catalog says was introduced in a release. */
export interface DatedField extends EvidenceTarget {
  /** Kubernetes minor that introduced the field. */
  since: number;
}

/** A lower bound on the Kubernetes schema a client was built against, and the fields proving it. */
export interface InferredVersion {
  /** '1.27': the client sent a field introduced in 1.27, so its types are 1.27 or later. */
  min: string;
  minor: number;
  /** The proving fields, '<group>/<resource>:<path>' (the newest ones, at most MAX_BASIS). */
  basis: string[];
}

/** The columns of evidence_set_fields that inference reads. */
export type SetFieldRow = Pick<
  RowOf<typeof evidenceSetFields>,
  'client_name' | 'username' | 'object' | 'path' | 'requests'
>;

const MAX_BASIS = 5;

/** Key of a client for inference: its name and the user it runs as. */
export function inferenceKey(clientName: string, username: string): string {
  return `${clientName}\u0000${username}`;
}

/**
 * The newest release among the fields each client sent. Several catalog records may date the
 * same field (one per API version): the earliest counts, the bound stays a lower bound.
 */
export function inferFromRows(
  rows: readonly SetFieldRow[],
  fields: readonly DatedField[],
): Map<string, InferredVersion> {
  const since = new Map<string, number>();
  for (const f of fields) {
    const k = `${f.object}|${f.path}`;
    since.set(k, Math.min(since.get(k) ?? Number.POSITIVE_INFINITY, f.since));
  }
  const best = new Map<string, { minor: number; basis: Set<string> }>();
  for (const r of rows) {
    const minor = since.get(`${r.object}|${r.path}`);
    if (minor === undefined) continue;
    const key = inferenceKey(r.client_name, r.username);
    const cur = best.get(key);
    const proof = `${r.object.startsWith('/') ? `core${r.object}` : r.object}:${r.path}`;
    if (!cur || minor > cur.minor) best.set(key, { minor, basis: new Set([proof]) });
    else if (minor === cur.minor) cur.basis.add(proof);
  }
  const out = new Map<string, InferredVersion>();
  for (const [k, v] of best) {
    out.set(k, { min: `1.${v.minor}`, minor: v.minor, basis: [...v.basis].sort().slice(0, MAX_BASIS) });
  }
  return out;
}

export interface InferQuery {
  from: Date;
  to: Date;
  cluster?: string | null | undefined;
  fields: readonly DatedField[];
}

/** Lower bounds for every client (name + user) that sent a dated field in the window. */
export async function inferClientVersions(
  store: Store,
  q: InferQuery,
): Promise<Map<string, InferredVersion>> {
  if (q.fields.length === 0) return new Map();
  const rows = await evidenceSetFields.run(store, {
    from: q.from,
    to: q.to,
    cluster: q.cluster,
    ...targetParams(q.fields),
    keys: [...new Set(q.fields.map((f) => `${f.object}|${f.path}`))],
  });
  return inferFromRows(rows, q.fields);
}

/** Catalog records (field-added, with a path) as dated fields; `fold` names an object's aliases. */
export function datedFields(
  changes: readonly {
    change: string;
    group: string;
    resource: string;
    path?: string | undefined;
    since: string;
  }[],
  fold: (group: string, resource: string) => { object: string; aliases: string[] } = identityFold,
): DatedField[] {
  const out: DatedField[] = [];
  for (const c of changes) {
    if (c.change !== 'field-added' || !c.path || c.resource === '' || c.resource === '*') continue;
    const since = minorOf(c.since);
    if (since === undefined) continue;
    const group = c.group === 'core' ? '' : c.group;
    out.push({ ...fold(group, c.resource), path: c.path, since });
  }
  return out;
}

export function identityFold(group: string, resource: string): { object: string; aliases: string[] } {
  const key = `${group}/${resource}`;
  return { object: key, aliases: [key] };
}
