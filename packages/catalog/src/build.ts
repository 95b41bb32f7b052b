import { expandTagNotes, tagDisagreements, unexplained } from './conformance.js';
import type { Curated } from './curated.js';
import { curatedApiRecords } from './curated-apis.js';
import { expandCuratedField, isAlpha, type RemovedAt } from './curated-expand.js';
import { parseLifecycleRows, serializeLifecycle } from './derived-data.js';
import { diffSnapshots, sortChanges } from './diff.js';
import { CatalogInputError } from './errors.js';
import { buildEvidence } from './evidence-build.js';
import { contradictions, fieldFindings, findingRecord, type KindEvidence } from './field-evidence.js';
import type { KubeApi } from './kube-api.js';
import { type KindLifecycle, kindLifecycles, lifecycleRecords } from './lifecycle.js';
import { FIRST_MINOR, LAST_MINOR, minorNumber } from './minor.js';
import { type Change, changeKey } from './model.js';
import { RecordSet } from './record-set.js';
import { gvkKey } from './resources.js';
import type { ReleaseSpec } from './spec-set.js';

/** The committed built-in catalog (data/generated/catalog.json). */
export interface BuiltCatalog {
  about: string;
  specs: Array<{ file: string; sha256: string }>;
  /** Every API group of the upstream documents: imports of user specs leave these to the built-in catalog. */
  groups: string[];
  changes: Change[];
}

/** What a build finds besides the records: the evidence the derived data files are written from. */
export interface BuildResult {
  catalog: BuiltCatalog;
  evidence: KindEvidence[];
  lifecycles: KindLifecycle[];
}

const FIELD_LEVEL = new Set<Change['change']>(['field-added', 'field-removed', 'default-changed']);

/**
 * Builds the built-in catalog. Group/version records come from the documents, the fixtures and the
 * lifecycle tags (kindLifecycles); field additions and removals from every document and fixture of
 * a kind (fieldFindings: every minor 1.17..1.36, the 1.23-1.27 gap included). Curated facts add
 * what neither source can say (1.16 fields, defaults, ifOmitted, feature gates, storage versions,
 * deprecations older than the tags, replacements) and are checked against both: a curated minor
 * that the evidence dates otherwise stops the build, as does a fixture field its own release's
 * document lacks.
 */
export function buildCatalog(rawSpecs: ReleaseSpec[], curated: Curated, kube: KubeApi): BuildResult {
  const errors: string[] = [];
  const specs = applyDocumentNotes(rawSpecs, curated, errors);
  const records = new RecordSet();
  const lifecycles = kindLifecycles(specs, kube.fixtures, kube.lifecycle);
  for (const c of lifecycleRecords(lifecycles)) records.add(c);

  const removedAt: RemovedAt = new Map();
  for (const c of records.all())
    if (c.change === 'gvk-removed') removedAt.set(gvkKey(c), minorNumber(c.since));
  const served = (c: Change) => {
    const gone = removedAt.get(gvkKey(c));
    return !(FIELD_LEVEL.has(c.change) && gone !== undefined && gone <= minorNumber(c.since));
  };

  const evidence = buildEvidence(specs, kube.fixtures);
  const dated = new Map<string, KindEvidence>();
  for (const ev of evidence) {
    errors.push(...contradictions(ev).map((e) => `fixture and document disagree: ${e}`));
    dated.set(gvkKey(ev), ev);
    for (const f of fieldFindings(ev, FIRST_MINOR)) {
      const r = findingRecord(f, ev);
      if (served(r)) records.add(r);
    }
  }
  // The documents carry defaults only in live dumps; a changed one is still a diff's finding.
  for (const c of diffReleases(specs)) if (c.change === 'default-changed' && served(c)) records.add(c);

  for (const [list, change] of [
    [curated.fields, 'field-added'],
    [curated.removedFields, 'field-removed'],
  ] as const) {
    for (const entry of list) {
      const out = expandCuratedField(entry, change, specs, removedAt);
      errors.push(...out.errors);
      for (const r of out.records) {
        const merged = records.merge(r);
        if (merged.other !== undefined) {
          errors.push(`curated ${changeKey(r)} (${r.since}): the evidence dates it ${merged.other}`);
        } else if (!merged.found && canDate(dated.get(gvkKey(r)), minorNumber(r.since))) {
          errors.push(`curated ${changeKey(r)} (${r.since}) is not found in the documents and fixtures`);
        }
      }
    }
  }
  for (const r of curatedApiRecords(curated, specs, errors)) {
    const merged = records.merge(r);
    if (merged.other !== undefined) {
      errors.push(
        `curated ${changeKey(r)} (${r.since}): the documents, fixtures and tags say ${merged.other}`,
      );
    } else if (!merged.found && (r.change === 'gvk-removed' || r.change === 'gvk-added')) {
      errors.push(`curated ${changeKey(r)} (${r.since}): the documents, fixtures and tags do not show it`);
    }
  }
  records.attachReplacements(lifecycles, curated);
  // Every departure from upstream's tags must be one curated.json explains (and no note may be stale).
  const tagRows = parseLifecycleRows(
    serializeLifecycle(kube.lifecycle, lifecycles, { file: '', sha256: '' }),
  );
  const found = tagDisagreements(tagRows, records.all());
  errors.push(...unexplained(found, expandTagNotes(curated.tagNotes)).map((e) => `lifecycle tag: ${e}`));

  if (errors.length > 0) {
    throw new CatalogInputError(`the curated catalog disagrees with the specs:\n  ${errors.join('\n  ')}`);
  }
  const groups = new Set<string>();
  for (const s of specs) for (const k of s.snapshot.kinds.values()) groups.add(k.group);
  const catalog: BuiltCatalog = {
    about:
      'Generated by packages/catalog/scripts/generate.ts from the OpenAPI specs listed here, ../shared/data/kube-api (fixtures, lifecycle tags) and data/curated.json. Do not edit by hand.',
    specs: [
      ...specs.map((s) => ({ file: s.file, sha256: s.sha256 })),
      ...kube.files.map((f) => ({ file: `kube-api/${f.file}`, sha256: f.sha256 })),
    ],
    groups: [...groups].sort(),
    changes: sortChanges(records.all()),
  };
  return { catalog, evidence, lifecycles };
}

/** The evidence can date a field change of this kind in minor n: sources before and from n hold the kind. */
function canDate(ev: KindEvidence | undefined, n: number): boolean {
  if (!ev) return false;
  return ev.observations.some((o) => o.hi < n) && ev.observations.some((o) => o.lo >= n || o.hi >= n);
}

function applyDocumentNotes(specs: ReleaseSpec[], curated: Curated, errors: string[]): ReleaseSpec[] {
  for (const note of curated.documents) {
    if (!specs.some((s) => s.file === note.file))
      errors.push(`curated document note: no spec file ${note.file}`);
  }
  return specs.map((s) => {
    const note = curated.documents.find((d) => d.file === s.file);
    return note ? { ...s, maxMinor: note.holdsUpTo } : s;
  });
}

/** Diffs of consecutive minors where both have a document (upstream preferred over a live dump). */
function diffReleases(specs: ReleaseSpec[]): Change[] {
  const out: Change[] = [];
  for (let n = FIRST_MINOR + 1; n <= LAST_MINOR; n++) {
    const a = releaseSpec(specs, n - 1);
    const b = releaseSpec(specs, n);
    if (!a || !b) continue;
    const source = `openapi diff v1.${n - 1}->v1.${n}`;
    out.push(
      ...diffSnapshots(a.snapshot, b.snapshot, `1.${n}`, source, {
        partialTarget: b.partial,
        fieldFilter: (k) => !isAlpha(k.version),
      }),
    );
  }
  return out;
}

function releaseSpec(specs: ReleaseSpec[], n: number): ReleaseSpec | undefined {
  const of = specs.filter((s) => minorNumber(s.minor) === n);
  return of.find((s) => !s.partial) ?? of[0];
}
