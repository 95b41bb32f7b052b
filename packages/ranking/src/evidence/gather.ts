import type { Store } from '@radar/store';
import type { KubeFloor } from '../decide.js';
import { objectAliases, objectKey } from '../objects.js';
import type { RiskIndex } from '../risk.js';
import { compareClients, score, severityIndex, worst } from '../score.js';
import type { Change, RankedClient } from '../types.js';
import { type FieldEvidence, fieldEvidence } from './counts.js';
import { datedFields, type InferredVersion, inferClientVersions, inferenceKey } from './infer.js';
import type { EvidenceTarget } from './targets.js';

/**
 * What request bodies tell about an upgrade's clients (docs/field-evidence.md): the Kubernetes
 * schema each client (name + user) proves it knows, and per client and changed field how many
 * full updates set, omitted and dropped it. Empty when no body was logged.
 */
export interface Evidence {
  inferred: Map<string, InferredVersion>;
  counts: Map<string, FieldEvidence>;
  floor: KubeFloor;
}

const fold = (group: string, resource: string) => ({
  object: objectKey(group, resource),
  aliases: objectAliases(group, resource),
});

const countKey = (client: string, version: string, object: string, path: string) =>
  [client, version, object, path].join('\u0000');

/** The upgrade's field changes as evidence targets: one per object and path. */
export function fieldTargets(idx: RiskIndex): EvidenceTarget[] {
  const out = new Map<string, EvidenceTarget>();
  for (const items of idx.fields.values()) {
    for (const { change } of items) {
      if (!change.path) continue;
      const group = change.group === 'core' ? '' : change.group;
      const t = { ...fold(group, change.resource), path: change.path };
      out.set(`${t.object}|${t.path}`, t);
    }
  }
  return [...out.values()];
}

/** What evidence is gathered for: a rank plan's window and risk index (not the plan, to keep rank.ts out). */
export interface EvidenceScope {
  from: Date;
  to: Date;
  cluster?: string | null | undefined;
  index: RiskIndex;
}

export async function gatherEvidence(
  store: Store,
  catalog: readonly Change[],
  plan: EvidenceScope,
): Promise<Evidence> {
  const window = { from: plan.from, to: plan.to, cluster: plan.cluster };
  const inferred = await inferClientVersions(store, { ...window, fields: datedFields(catalog, fold) });
  const rows = await fieldEvidence(store, { ...window, targets: fieldTargets(plan.index) });
  const counts = new Map(rows.map((r) => [countKey(r.clientName, r.clientVersion, r.object, r.path), r]));
  return {
    inferred,
    counts,
    floor: (client, user) => inferred.get(inferenceKey(client, user))?.minor ?? 0,
  };
}

/**
 * Adds the evidence to ranked clients: counts on field findings, each client's proven version.
 * A finding whose field the client was seen wiping is no longer a question: needs-verification
 * becomes high, and clients are ordered again.
 */
export function withEvidence(clients: RankedClient[], ev: Evidence): RankedClient[] {
  for (const c of clients) {
    const name = c.client === '(unknown)' ? '' : c.client;
    const proofs = c.users
      .map((u) => ev.inferred.get(inferenceKey(name, u)))
      .filter((x): x is InferredVersion => x !== undefined)
      .sort((a, b) => a.minor - b.minor);
    c.inferredVersion = proofs[0] ? { min: proofs[0].min, basis: proofs[0].basis } : null;
    for (const f of c.findings) {
      if (!f.path || (f.change !== 'field-added' && f.change !== 'default-changed')) continue;
      const e = ev.counts.get(countKey(name, c.clientVersion ?? '', objectKey(f.group, f.resource), f.path));
      f.set = e?.set ?? 0;
      f.omitted = e?.omitted ?? 0;
      f.dropped = e?.dropped ?? 0;
      f.droppedObjects = e?.dropObjects ?? [];
      if (f.dropped > 0 && f.severity === 'needs-verification') f.severity = 'high';
      c.severity = worst(c.severity, f.severity);
    }
    c.findings.sort((a, b) => severityIndex(a.severity) - severityIndex(b.severity) || b.count - a.count);
    c.score = score(c.severity, c.requests);
  }
  clients.sort(compareClients);
  clients.forEach((c, i) => {
    c.rank = i + 1;
  });
  return clients;
}
