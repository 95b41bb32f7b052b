import type { RankedClient } from '../types.js';
import { mdCell } from './escape.js';
import { guardCell } from './guard.js';
import { clientLabel, dayLabels, evidenceLabel, gvr, kubeLabel } from './labels.js';
import type { ClientRef, FindingRef, ReportDoc, ReportSection } from './model.js';

function table(header: string[], rows: unknown[][]): string {
  const line = (cells: unknown[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const join = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '—');

export function clientsMarkdown(clients: readonly RankedClient[]): string {
  // The guard's column only where it judged someone: a denied client is marked in bold.
  const guard = clients.some((c) => c.guard);
  return table(
    [
      '#',
      'Client',
      'Version',
      'Kubernetes',
      'Severity',
      'Score',
      'Risky requests',
      'Updates',
      'Owners',
      'Users',
      'Namespaces',
      ...(guard ? ['Guard'] : []),
    ],
    clients.map((c) => [
      c.rank,
      c.client,
      c.clientVersion ?? '—',
      kubeLabel(c),
      c.severity,
      c.score,
      c.requests,
      c.updates,
      join(c.owners),
      join(c.users),
      join(c.namespaces),
      ...(guard ? [c.guard?.denied ? `**${guardCell(c)}**` : guardCell(c)] : []),
    ]),
  );
}

export function evidenceMarkdown(c: RankedClient): string {
  const guard = c.findings.some((f) => f.guard);
  return table(
    [
      'Severity',
      'Change',
      'API',
      'Field',
      'Since',
      'Verb',
      'Requests',
      'Evidence from bodies',
      'Sample audit IDs',
      'Owners',
      ...(guard ? ['Guard'] : []),
    ],
    c.findings.map((f) => [
      f.severity,
      f.change,
      gvr(f),
      f.path ?? '',
      f.since,
      f.verb,
      f.count,
      evidenceLabel(f),
      f.sampleAuditIds.join(' '),
      join(f.owners),
      ...(guard ? [guardCell(f)] : []),
    ]),
  );
}

function refs(items: readonly (ClientRef | FindingRef)[]): string {
  if (items.length === 0) return 'None.';
  return table(
    ['Client', 'Severity', 'Finding', 'Owners'],
    items.map((r) => [
      clientLabel(r),
      r.severity,
      'change' in r ? `${r.change} ${gvr(r)}${r.path ? ` ${r.path}` : ''} (${r.verb})` : '',
      join(r.owners),
    ]),
  );
}

export function renderMarkdown(doc: ReportDoc): string {
  const s = doc.summary;
  const sp = doc.sincePrevious;
  const daily = table(
    ['Client', ...dayLabels(doc.daily.days)],
    doc.daily.series.map((x) => [clientLabel(x), ...x.counts]),
  );
  return [
    `# Client upgrade report ${doc.current} → ${doc.target}${doc.cluster ? ` (${doc.cluster})` : ''}, ${doc.period}`,
    '',
    `Window ${doc.window.from} — ${doc.window.to}; generated ${doc.generatedAt}; report \`${doc.reportId}\`.`,
    '',
    `${s.clients} clients send risky traffic (${s.riskyRequests} risky requests): ` +
      `${Object.entries(s.bySeverity)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}.`,
    '',
    '## Clients to upgrade first',
    '',
    s.clients ? clientsMarkdown(doc.clients) : 'No risky traffic in this window.',
    '',
    '## Risky requests per client per day',
    '',
    s.clients ? daily : 'None.',
    '',
    `## New since previous report${sp.previousReportId ? ` (${sp.previousReportId})` : ''}`,
    '',
    sp.previousReportId ? '' : 'No previous report for this upgrade and cluster.\n',
    '### Clients',
    '',
    refs(sp.newClients),
    '',
    '### Findings',
    '',
    refs(sp.newFindings),
    '',
    '## Fixed since previous report',
    '',
    '### Clients',
    '',
    refs(sp.fixedClients),
    '',
    '### Findings',
    '',
    refs(sp.fixedFindings),
    '',
    '## Evidence',
    '',
    ...doc.clients.flatMap((c) => [
      `### ${c.rank}. ${clientLabel(c)} (${c.severity}; owners: ${join(c.owners)})`,
      '',
      evidenceMarkdown(c),
      '',
    ]),
    ...(doc.sections ?? []).map(sectionMarkdown),
  ].join('\n');
}

/** A report section (title, a line, a table) as markdown, every cell escaped. */
export function sectionMarkdown(x: ReportSection): string {
  return [
    `## ${mdCell(x.title)}`,
    '',
    mdCell(x.text),
    '',
    x.rows.length ? table(x.columns, x.rows) : 'None.',
    '',
  ].join('\n');
}
