import { readFileSync } from 'node:fs';
import { isAlpha } from './curated-expand.js';
import type { LifecycleRow } from './derived-data.js';
import { FIRST_MINOR, LAST_MINOR, minorNumber } from './minor.js';
import type { Change } from './model.js';
import { gvkKey } from './resources.js';

export const TOOLS_PATH = new URL('../data/reference-tools.tsv', import.meta.url);
export const DOCS_PATH = new URL('../../../docs/catalog.md', import.meta.url);

/** One entry of FairwindsOps/pluto's versions.yaml or one kube-no-trouble rule: its minors only. */
export interface ToolFact {
  tool: 'pluto' | 'kubent';
  group: string;
  version: string;
  kind: string;
  deprecated: string;
  removed: string;
  replacementSince: string;
  provenance: string;
}

export function loadToolFacts(path: string | URL = TOOLS_PATH): ToolFact[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  return lines.slice(1).map((line) => {
    const [
      tool,
      group = '',
      version = '',
      kind = '',
      deprecated = '',
      removed = '',
      replacementSince = '',
      provenance = '',
    ] = line.split('\t');
    if (tool !== 'pluto' && tool !== 'kubent') throw new Error(`${String(path)}: unknown tool '${tool}'`);
    return { tool, group, version, kind, deprecated, removed, replacementSince, provenance };
  });
}

type Field = 'introduced' | 'deprecated' | 'removed';
const RECORD: Record<Field, Change['change']> = {
  introduced: 'gvk-added',
  deprecated: 'gvk-deprecated',
  removed: 'gvk-removed',
};

/** Where the catalog's group/version records and upstream's newest lifecycle tag disagree. */
export interface TagDisagreement {
  group: string;
  version: string;
  kind: string;
  field: Field;
  tag: string;
  catalog: string;
}

/**
 * Every non-alpha, stored kind of lifecycle.tsv whose tagged introduced/deprecated/removed minor
 * (within 1.16..1.36; introduced only after 1.16, the first minor the catalog knows) is not the
 * minor of the catalog's record, or that has a record the tag does not explain.
 */
export function tagDisagreements(rows: LifecycleRow[], changes: Change[]): TagDisagreement[] {
  const since = new Map<string, string[]>();
  for (const c of changes) {
    if (!c.change.startsWith('gvk-') || c.path !== undefined) continue;
    const key = `${c.change}|${gvkKey(c)}`;
    since.set(key, [...(since.get(key) ?? []), c.since]);
  }
  const out: TagDisagreement[] = [];
  for (const r of rows) {
    if (isAlpha(r.version) || r.resource === '') continue;
    for (const field of ['introduced', 'deprecated', 'removed'] as const) {
      const tag = r[field];
      const lo = field === 'introduced' ? FIRST_MINOR + 1 : 0;
      const expected = tag && minorNumber(tag) >= lo && minorNumber(tag) <= LAST_MINOR ? tag : '';
      const got = (since.get(`${RECORD[field]}|${gvkKey(r)}`) ?? []).join(',');
      if (got !== expected)
        out.push({ group: r.group, version: r.version, kind: r.kind, field, tag, catalog: got });
    }
  }
  return out;
}

export interface ConformanceRow {
  tool: ToolFact;
  catalogDeprecated: string;
  catalogRemoved: string;
  tagDeprecated: string;
  tagRemoved: string;
  why: string;
}

/** Each tool fact beside the catalog's minors and upstream's tag, with why they differ where they do. */
export function conformanceRows(
  tools: ToolFact[],
  rows: LifecycleRow[],
  changes: Change[],
  builtinGroups: ReadonlySet<string>,
): ConformanceRow[] {
  const tags = new Map(rows.map((r) => [gvkKey(r), r]));
  const record = (change: Change['change'], t: ToolFact) =>
    changes.find((c) => c.change === change && gvkKey(c) === gvkKey(t) && c.path === undefined);
  return tools.map((t) => {
    const dep = record('gvk-deprecated', t);
    const rem = record('gvk-removed', t);
    const tag = tags.get(gvkKey(t));
    const row: ConformanceRow = {
      tool: t,
      catalogDeprecated: dep?.since ?? '',
      catalogRemoved: rem?.since ?? '',
      tagDeprecated: tag?.deprecated ?? '',
      tagRemoved: tag?.removed ?? '',
      why: '',
    };
    const why: string[] = [];
    if (!builtinGroups.has(t.group)) why.push('not a built-in group (a CRD: external-snapshotter)');
    else if (!dep && !rem && /List$/.test(t.kind))
      why.push('a List kind: not a stored resource, its items are');
    else if (!dep && !rem) why.push('the documents never serve a kind of this name in this group/version');
    else {
      if (t.deprecated && t.deprecated !== row.catalogDeprecated) {
        const rep = dep?.details?.replacement?.servedSince ?? rem?.details?.replacement?.servedSince;
        const hint = rep === t.deprecated ? ` (${t.tool}'s minor is when the replacement was served)` : '';
        why.push(`deprecated: ${dep ? dep.source : 'no deprecation record'}${hint}`);
      }
      if (t.removed !== row.catalogRemoved) why.push(`removed: ${rem ? rem.source : 'no removal record'}`);
    }
    row.why = why.join('; ');
    return row;
  });
}

export const TABLE_START =
  '<!-- conformance table: generated by scripts/generate.ts from data/reference-tools.tsv; do not edit -->';
export const TABLE_END = '<!-- end of conformance table -->';

const cell = (s: string) => (s === '' ? '-' : s.replaceAll('|', '\\|'));

export function renderConformance(rows: ConformanceRow[]): string {
  const lines = [
    TABLE_START,
    '',
    '| tool | group/version | kind | tool: deprecated / removed | catalog: deprecated / removed | tag: deprecated / removed | why they differ |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const t = r.tool;
    const toolMinors =
      t.tool === 'kubent'
        ? `(replacement ${cell(t.replacementSince)}) / ${t.removed}`
        : `${cell(t.deprecated)} / ${cell(t.removed)}`;
    lines.push(
      `| ${t.tool} | ${t.group ? `${t.group}/` : ''}${t.version} | ${t.kind} | ${toolMinors} | ${cell(r.catalogDeprecated)} / ${cell(r.catalogRemoved)} | ${cell(r.tagDeprecated)} / ${cell(r.tagRemoved)} | ${cell(r.why)} |`,
    );
  }
  lines.push('', TABLE_END);
  return lines.join('\n');
}

/** The markdown text with its table section replaced (between the markers), or an error when they are missing. */
export function withTable(markdown: string, table: string): string {
  const a = markdown.indexOf(TABLE_START);
  const b = markdown.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error('docs/catalog.md: the conformance table markers are missing');
  return markdown.slice(0, a) + table + markdown.slice(b + TABLE_END.length);
}

/** The curated notes on tag disagreements, one per kind and field. */
export function expandTagNotes(
  notes: Array<{
    group: string;
    version: string;
    kinds: string[];
    field: Field;
    tag: string;
    catalog: string;
  }>,
): TagDisagreement[] {
  return notes.flatMap((n) =>
    n.kinds.map((kind) => ({
      group: n.group,
      version: n.version,
      kind,
      field: n.field,
      tag: n.tag,
      catalog: n.catalog,
    })),
  );
}

const disagreementKey = (d: TagDisagreement) =>
  `${d.group}/${d.version}/${d.kind} ${d.field}: tag ${d.tag || '-'}, catalog ${d.catalog || '-'}`;

/** What differs between the disagreements found and the ones the curated notes explain. */
export function unexplained(found: TagDisagreement[], noted: TagDisagreement[]): string[] {
  const a = new Set(found.map(disagreementKey));
  const b = new Set(noted.map(disagreementKey));
  return [
    ...[...a].filter((k) => !b.has(k)).map((k) => `${k} (no curated tagNotes entry says why)`),
    ...[...b]
      .filter((k) => !a.has(k))
      .map((k) => `${k} (a curated tagNotes entry for a disagreement that is not there)`),
  ];
}
