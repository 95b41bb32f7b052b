import { parentPath } from './expand.js';
import type { Change } from './model.js';

/** One source's view of one kind: a fixture (one minor) or an OpenAPI document (its minor, or a range). */
export interface Observation {
  /** 'kube-api fixtures v1.24', 'openapi v1.30', 'openapi partial/v1.23'. */
  label: string;
  /** The source is from the release cycle of `lo`..`hi` (an early document holds changes up to hi). */
  lo: number;
  hi: number;
  paths: ReadonlySet<string>;
}

/** Every source that holds a kind, oldest first: the evidence for its field additions and removals. */
export interface KindEvidence {
  group: string;
  version: string;
  kind: string;
  resource: string;
  observations: Observation[];
}

export interface FieldFinding {
  change: 'field-added' | 'field-removed';
  path: string;
  since: number;
  /** The sources either side of the change. */
  before: Observation;
  after: Observation;
}

/**
 * Field additions and removals of one kind, from every fixture and document that holds it. A field
 * is added in N when no source before N has it and a source of N has it (a fixture can lack a field
 * for fixture reasons, so a document that has it earlier wins), and only the topmost path of a new
 * subtree counts. It is removed in N when the last source that has it is before N and a source of N
 * lacks it (with its parent still there). A document of a range (an early snapshot holding changes
 * up to hi) dates a field it has to lo, unless the fixture of lo lacks it (then hi), and a field it
 * lacks to no later than lo.
 */
export function fieldFindings(ev: KindEvidence, firstMinor: number): FieldFinding[] {
  const obs = [...ev.observations].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  if (obs.length < 2) return [];
  const all = new Set<string>();
  for (const o of obs) for (const p of o.paths) all.add(p);
  const fixtureAt = new Map<number, Observation>();
  for (const o of obs) if (o.label.startsWith('kube-api fixtures ')) fixtureAt.set(o.lo, o);
  const at = (o: Observation, path: string) =>
    o.lo === o.hi || fixtureAt.get(o.lo)?.paths.has(path) !== false ? o.lo : o.hi;
  const out: FieldFinding[] = [];
  for (const path of all) {
    const having = obs.filter((o) => o.paths.has(path));
    const first = Math.min(...having.map((o) => at(o, path)));
    const last = Math.max(...having.map((o) => o.hi));
    const earlier = obs.filter((o) => o.hi < first);
    const parent = parentPath(path);
    if (first > firstMinor && earlier.length > 0) {
      const prev = earlier[earlier.length - 1]!;
      if (parent === '' || earlier.some((o) => o.paths.has(parent))) {
        const after = having.find((o) => at(o, path) === first)!;
        out.push({ change: 'field-added', path, since: first, before: prev, after });
      }
    }
    const later = obs.filter((o) => o.lo > last);
    const next = later[0];
    if (next && (parent === '' || next.paths.has(parent))) {
      const before = [...having].reverse()[0]!;
      out.push({ change: 'field-removed', path, since: next.lo, before, after: next });
    }
  }
  return out.sort((a, b) => a.since - b.since || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Where a fixture and a document of the same minor disagree on a field in a way no fixture
 * reason explains: the fixture has a field its own release's document lacks.
 */
export function contradictions(ev: KindEvidence): string[] {
  const out: string[] = [];
  const exact = ev.observations.filter((o) => o.lo === o.hi);
  for (const f of exact.filter((o) => o.label.startsWith('kube-api fixtures '))) {
    for (const d of exact.filter((o) => o.label.startsWith('openapi ') && o.lo === f.lo)) {
      for (const p of f.paths) {
        if (!d.paths.has(p) && (parentPath(p) === '' || d.paths.has(parentPath(p))))
          out.push(`${ev.group}/${ev.version}/${ev.kind} ${p}: in ${f.label}, not in ${d.label}`);
      }
    }
  }
  return out;
}

/** The evidence a finding rests on, as a record source: 'openapi diff v1.17->v1.18; kube-api fixtures v1.17->v1.18'. */
export function findingSource(f: FieldFinding, ev: KindEvidence): string {
  const at = (label: string, n: number) =>
    ev.observations.find((o) => o.label === label && o.lo === n && o.hi === n);
  const n = f.since;
  const parts: string[] = [];
  const docPair = at(`openapi v1.${n - 1}`, n - 1) && at(`openapi v1.${n}`, n);
  if (docPair) parts.push(`openapi diff v1.${n - 1}->v1.${n}`);
  const fxPair = at(`kube-api fixtures v1.${n - 1}`, n - 1) && at(`kube-api fixtures v1.${n}`, n);
  if (fxPair) parts.push(`kube-api fixtures v1.${n - 1}->v1.${n}`);
  if (parts.length === 0) parts.push(`${f.before.label} -> ${f.after.label}`);
  const agree = ev.observations.filter((o) => o.hi >= n && o.lo <= n);
  const dissent = agree.filter((o) => o.paths.has(f.path) !== (f.change === 'field-added'));
  if (dissent.length > 0) parts.push(`but not in ${dissent.map((o) => o.label).join(', ')}`);
  return parts.join('; ');
}

export function findingRecord(f: FieldFinding, ev: KindEvidence): Change {
  return {
    change: f.change,
    group: ev.group,
    version: ev.version,
    kind: ev.kind,
    resource: ev.resource,
    path: f.path,
    since: `1.${f.since}`,
    source: findingSource(f, ev),
  };
}
