import type { Change } from './model.js';
import type { ResourceSummary } from './query.js';

export const apiVersion = (c: Pick<Change, 'group' | 'version'>): string =>
  c.group ? `${c.group}/${c.version}` : c.version;

/** kubectl's spelling of a resource: `deployments.apps`, `pods` for the core group. */
export const resourceName = (r: Pick<Change, 'group' | 'resource'>): string =>
  r.group ? `${r.resource}.${r.group}` : r.resource;

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A one-line reading of a record's details. */
export function describeDetails(c: Change): string {
  const d = c.details;
  if (!d) return '';
  const parts: string[] = [];
  if (d.replacement) {
    const since = d.replacement.servedSince ? ` (served since ${d.replacement.servedSince})` : '';
    parts.push(`use ${apiVersion(d.replacement)}${since}`);
  }
  if (d.oldDefault !== undefined || d.newDefault !== undefined) {
    parts.push(`default ${show(d.oldDefault ?? 'none')} -> ${show(d.newDefault ?? 'none')}`);
  }
  if (d.oldStorageVersion || d.newStorageVersion) {
    parts.push(`stored as ${d.oldStorageVersion ?? '?'} -> ${d.newStorageVersion ?? '?'}`);
  }
  if (d.ifOmitted) parts.push(`if omitted: ${d.ifOmitted}`);
  if (d.featureGate) parts.push(`gate ${d.featureGate}`);
  return parts.join('; ');
}

const HEAD = ['SINCE', 'CHANGE', 'API VERSION', 'KIND', 'PATH', 'NOTE'];
const row = (c: Change) => [c.since, c.change, apiVersion(c), c.kind, c.path ?? '', describeDetails(c)];

/** Aligned plain-text table for a terminal. */
export function renderTable(changes: readonly Change[]): string {
  return align([HEAD, ...changes.map(row)]);
}

/** Markdown table, sources included (for reports and issues). */
export function renderMarkdown(changes: readonly Change[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const lines = [
    `| ${[...HEAD, 'SOURCE'].join(' | ')} |`,
    `|${[...HEAD, 'SOURCE'].map(() => '---').join('|')}|`,
    ...changes.map((c) => `| ${[...row(c), c.source].map((s) => (s ? esc(s) : '')).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** One line per resource: `deployments.apps  apps/v1,apps/v1beta1  field-added=12 gvk-removed=1`. */
export function renderResources(summaries: readonly ResourceSummary[]): string {
  return align([
    ['RESOURCE', 'VERSIONS', 'CHANGES'],
    ...summaries.map((s) => [
      resourceName(s),
      s.versions.map((v) => apiVersion({ group: s.group, version: v })).join(','),
      Object.entries(s.counts)
        .map(([k, n]) => `${k}=${n}`)
        .join(' '),
    ]),
  ]);
}

function align(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
