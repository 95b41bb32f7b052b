import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinChanges, builtinGroups } from './catalog-file.js';
import {
  conformanceRows,
  DOCS_PATH,
  expandTagNotes,
  loadToolFacts,
  renderConformance,
  tagDisagreements,
  unexplained,
  withTable,
} from './conformance.js';
import { loadCurated } from './curated.js';
import { loadCommittedFields, loadCommittedLifecycle } from './derived-data.js';
import { fieldFindings, type KindEvidence } from './field-evidence.js';
import { FIRST_MINOR, minorNumber } from './minor.js';
import type { Change } from './model.js';
import { gvkKey } from './resources.js';

// Reads only committed files (the catalog, curated.json and the data derived from ../shared), so
// it holds in a clone without ../shared; generate.test.ts proves the derived files are current.
const all = builtinChanges();
const rows = loadCommittedLifecycle();
const evidence = loadCommittedFields();
const removedAt = new Map<string, number>();
for (const c of all) if (c.change === 'gvk-removed') removedAt.set(gvkKey(c), minorNumber(c.since));
const fieldKey = (c: Pick<Change, 'change' | 'group' | 'version' | 'kind' | 'path'>, since: string) =>
  `${c.change} ${gvkKey(c)} ${c.path} ${since}`;
const catalogFields = new Set(
  all
    .filter((c) => c.change === 'field-added' || c.change === 'field-removed')
    .map((c) => fieldKey(c, c.since)),
);

describe('the catalog against upstream lifecycle tags (lifecycle.tsv)', () => {
  it('agrees for every non-alpha stored kind in 1.16-1.36, except where curated tagNotes say why', () => {
    const found = tagDisagreements(rows, all);
    expect(unexplained(found, expandTagNotes(loadCurated().tagNotes))).toEqual([]);
    // The check ran over all of it: every tagged beta/GA resource kind, not a sample.
    const checked = rows.filter((r) => !/alpha/.test(r.version) && r.resource !== '');
    expect(checked.length).toBeGreaterThan(80);
    expect(found.length).toBeLessThan(10);
  });

  it('dates the removals the issue found wrong or missing', () => {
    const removed = (group: string, version: string, kind: string) =>
      all
        .filter((c) => c.change === 'gvk-removed' && gvkKey(c) === `${group}/${version}/${kind}`)
        .map((c) => c.since);
    expect(removed('apps', 'v1beta1', 'ControllerRevision')).toEqual(['1.16']);
    expect(removed('apps', 'v1beta2', 'ControllerRevision')).toEqual(['1.16']);
    expect(removed('storage.k8s.io', 'v1alpha1', 'VolumeAttachment')).toEqual(['1.24']);
    expect(removed('storage.k8s.io', 'v1alpha1', 'CSIStorageCapacity')).toEqual(['1.24']);
    // Served by the v1.22 document, so not removed in 1.22; gone from v1.28's (no tag dates it).
    expect(removed('rbac.authorization.k8s.io', 'v1alpha1', 'Role')).toEqual(['1.28']);
    expect(removed('node.k8s.io', 'v1alpha1', 'RuntimeClass')).toEqual(['1.28']);
    expect(removed('scheduling.k8s.io', 'v1alpha1', 'PriorityClass')).toEqual(['1.28']);
    // A tagged removal after 1.36 is a plan, kept on the deprecation.
    const dep = all.find(
      (c) => c.change === 'gvk-deprecated' && gvkKey(c) === 'resource.k8s.io/v1beta1/ResourceClaim',
    );
    expect(dep).toMatchObject({ since: '1.35', details: { plannedRemovalIn: '1.38' } });
    expect(removed('resource.k8s.io', 'v1beta1', 'ResourceClaim')).toEqual([]);
  });
});

describe('the catalog against the fixtures and documents (fields.json.gz)', () => {
  const served = (ev: KindEvidence, n: number) => (removedAt.get(gvkKey(ev)) ?? Infinity) > n;

  it('has every field addition and removal they show, in every minor 1.17-1.36, for every kind', () => {
    const missing: string[] = [];
    const perMinor = new Map<number, number>();
    for (const ev of evidence) {
      for (const f of fieldFindings(ev, FIRST_MINOR)) {
        if (!served(ev, f.since)) continue;
        const key = fieldKey({ ...ev, change: f.change, path: f.path }, `1.${f.since}`);
        if (!catalogFields.has(key)) missing.push(key);
        if (f.change === 'field-added') perMinor.set(f.since, (perMinor.get(f.since) ?? 0) + 1);
      }
    }
    expect(missing).toEqual([]);
    // The gap minors, which have no whole document, are covered too.
    for (let n = 17; n <= 36; n++) expect(perMinor.get(n) ?? 0, `additions in 1.${n}`).toBeGreaterThan(0);
    expect(evidence.length).toBeGreaterThan(100);
  });

  it('has no field change in 1.17-1.36 they do not show (only curated ones on kinds new in that minor)', () => {
    const byKey = new Map(evidence.map((ev) => [gvkKey(ev), ev]));
    const shown = new Set<string>();
    for (const ev of evidence) {
      for (const f of fieldFindings(ev, FIRST_MINOR))
        shown.add(fieldKey({ ...ev, change: f.change, path: f.path }, `1.${f.since}`));
    }
    const unshown = all.filter((c) => {
      if ((c.change !== 'field-added' && c.change !== 'field-removed') || minorNumber(c.since) <= FIRST_MINOR)
        return false;
      if (shown.has(fieldKey(c, c.since))) return false;
      const ev = byKey.get(gvkKey(c));
      const existedBefore = ev?.observations.some((o) => o.hi < minorNumber(c.since)) ?? false;
      return existedBefore || !c.source.includes('curated: ');
    });
    expect(unshown.map((c) => fieldKey(c, c.since))).toEqual([]);
  });

  it('never dates an addition after a fixture that already has the field, and a fixture or document of its minor has it', () => {
    const wrong: string[] = [];
    const byKey = new Map(evidence.map((ev) => [gvkKey(ev), ev]));
    for (const c of all) {
      if (c.change !== 'field-added' || minorNumber(c.since) <= FIRST_MINOR) continue;
      const ev = byKey.get(gvkKey(c));
      if (!ev) continue;
      const n = minorNumber(c.since);
      const fixtures = ev.observations.filter((o) => o.label.startsWith('kube-api fixtures '));
      if (fixtures.some((o) => o.hi < n && o.paths.has(c.path!)))
        wrong.push(`${fieldKey(c, c.since)}: an earlier fixture has it`);
      const ofMinor = ev.observations.filter((o) => o.lo <= n && n <= o.hi);
      if (ofMinor.length > 0 && !ofMinor.some((o) => o.paths.has(c.path!)))
        wrong.push(`${fieldKey(c, c.since)}: no source of ${c.since} has it`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the conformance table (pluto, kube-no-trouble)', () => {
  const tools = loadToolFacts();

  it('holds every pluto k8s entry and kube-no-trouble rule in 1.16-1.36, each with its commit', () => {
    expect(tools.filter((t) => t.tool === 'pluto')).toHaveLength(62);
    expect(tools.filter((t) => t.tool === 'kubent')).toHaveLength(49);
    for (const t of tools) expect(t.provenance).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40} \S+$/);
  });

  it('is in docs/catalog.md as the committed data make it, with a reason for every difference', () => {
    const table = conformanceRows(tools, rows, all, builtinGroups());
    const docs = readFileSync(DOCS_PATH, 'utf8');
    expect(withTable(docs, renderConformance(table)) === docs, 'run scripts/generate.ts').toBe(true);
    for (const r of table) {
      const differs =
        (r.tool.tool === 'pluto' && r.tool.deprecated !== '' && r.tool.deprecated !== r.catalogDeprecated) ||
        r.tool.removed !== r.catalogRemoved;
      if (differs) expect(r.why, `${r.tool.tool} ${gvkKey(r.tool)}`).not.toBe('');
    }
    // pluto misdates flowcontrol v1beta1's removal; the catalog follows the tag (and DG).
    const fc = table.find(
      (r) =>
        r.tool.tool === 'pluto' &&
        gvkKey(r.tool) === 'flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration',
    );
    expect(fc).toMatchObject({ catalogRemoved: '1.26', tagRemoved: '1.26' });
  });
});
