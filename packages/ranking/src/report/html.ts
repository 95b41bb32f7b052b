import type { RankedClient } from '../types.js';
import { esc } from './escape.js';
import { guardCell } from './guard.js';
import { CHART_CLIENTS, clientLabel, evidenceLabel, gvr, kubeLabel, SEVERITY_COLOR } from './labels.js';
import type { ClientRef, FindingRef, ReportDoc } from './model.js';
import { barChart, lineChart, PALETTE, type Series } from './svg.js';

const CSS = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right}.sev{color:#fff;padding:1px 6px;border-radius:3px;font-size:12px;white-space:nowrap}
code{font-size:12px}details{margin:6px 0}.muted{color:#666}.guard{color:#b71c1c;white-space:nowrap}`;

function sev(s: keyof typeof SEVERITY_COLOR): string {
  return `<span class="sev" style="background:${SEVERITY_COLOR[s]}">${esc(s)}</span>`;
}

function list(items: readonly string[]): string {
  return items.length ? items.map((i) => esc(i)).join(', ') : '<span class="muted">none</span>';
}

function dailyChart(doc: ReportDoc): string {
  const top = doc.daily.series.slice(0, CHART_CLIENTS);
  const rest = doc.daily.series.slice(CHART_CLIENTS);
  const series: Series[] = top.map((s, i) => ({
    label: clientLabel(s),
    color: PALETTE[i % PALETTE.length]!,
    values: s.counts,
  }));
  if (rest.length) {
    series.push({
      label: `${rest.length} other clients`,
      color: '#999',
      values: doc.daily.days.map((_, d) => rest.reduce((n, s) => n + (s.counts[d] ?? 0), 0)),
    });
  }
  return lineChart('Risky requests per client per day', doc.daily.days, series);
}

function clientsTable(clients: readonly RankedClient[]): string {
  const rows = clients.map(
    (c) =>
      `<tr><td class="num">${c.rank}</td><td>${esc(c.client)}${guardMark(c)}</td><td>${esc(c.clientVersion ?? '—')}</td>` +
      `<td>${esc(kubeLabel(c))}</td><td>${sev(c.severity)}</td>` +
      `<td class="num">${c.score}</td><td class="num">${c.requests}</td><td class="num">${c.updates}</td>` +
      `<td>${list(c.owners)}</td><td>${list(c.users)}</td><td>${list(c.namespaces)}</td></tr>`,
  );
  return `<table id="clients"><thead><tr><th>#</th><th>Client</th><th>Version</th><th>Kubernetes</th><th>Severity</th><th>Score</th><th>Risky requests</th><th>Updates</th><th>Owners</th><th>Users</th><th>Namespaces</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The guard's verdicts beside a client's name; a denied client in bold. */
function guardMark(c: RankedClient): string {
  if (!c.guard) return '';
  const text = esc(`guard: ${guardCell(c)}`);
  return c.guard.denied ? ` <strong class="guard">${text}</strong>` : ` <span class="guard">${text}</span>`;
}

function evidence(c: RankedClient): string {
  const rows = c.findings.map(
    (f) =>
      `<tr><td>${sev(f.severity)}</td><td>${esc(f.change)}</td><td>${esc(gvr(f))}</td><td>${f.path ? `<code>${esc(f.path)}</code>` : ''}</td>` +
      `<td>${esc(f.since)}</td><td>${esc(f.verb)}</td><td class="num">${f.count}</td><td>${esc(evidenceLabel(f))}</td>` +
      `<td>${f.sampleAuditIds.map((id) => `<code>${esc(id)}</code>`).join('<br>')}</td><td>${list(f.owners)}</td></tr>`,
  );
  return `<details open><summary>${c.rank}. ${esc(clientLabel(c))} — ${esc(c.severity)}, owners: ${list(c.owners)}</summary><table class="evidence"><thead><tr><th>Severity</th><th>Change</th><th>API</th><th>Field</th><th>Since</th><th>Verb</th><th>Requests</th><th>Evidence from bodies</th><th>Sample audit IDs</th><th>Owners</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function refsTable(id: string, refs: readonly (ClientRef | FindingRef)[]): string {
  if (refs.length === 0) return `<p id="${id}" class="muted">None.</p>`;
  const rows = refs.map((r) => {
    const f =
      'change' in r
        ? `${esc(r.change)} ${esc(gvr(r))}${r.path ? ` <code>${esc(r.path)}</code>` : ''} (${esc(r.verb)})`
        : '';
    return `<tr><td>${esc(clientLabel(r))}</td><td>${sev(r.severity)}</td><td>${f}</td><td>${list(r.owners)}</td></tr>`;
  });
  return `<table id="${id}"><thead><tr><th>Client</th><th>Severity</th><th>Finding</th><th>Owners</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The self-contained HTML report: inline CSS and SVG, no script, no external resource. */
export function renderHtml(doc: ReportDoc): string {
  const title = `Client upgrade report ${doc.current} → ${doc.target}${doc.cluster ? ` (${doc.cluster})` : ''}, ${doc.period}`;
  const bars = doc.clients.slice(0, 15).map((c) => ({
    label: clientLabel(c),
    value: c.requests,
    color: SEVERITY_COLOR[c.severity],
  }));
  const sp = doc.sincePrevious;
  const s = doc.summary;
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p>Window ${esc(doc.window.from)} — ${esc(doc.window.to)}; generated ${esc(doc.generatedAt)}; report <code>${esc(doc.reportId)}</code>.</p>`,
    `<p id="summary">${s.clients} clients send risky traffic (${s.riskyRequests} risky requests): ` +
      Object.entries(s.bySeverity)
        .map(([k, n]) => `${n} ${esc(k)}`)
        .join(', ') +
      '.</p>',
    '<h2>Risky requests per client per day</h2>',
    s.clients ? dailyChart(doc) : '<p class="muted">No risky traffic in this window.</p>',
    '<h2>Top clients</h2>',
    s.clients
      ? barChart('Top clients by risky requests', bars)
      : '<p class="muted">No risky traffic in this window.</p>',
    '<h2>Clients to upgrade first</h2>',
    clientsTable(doc.clients),
    `<h2>New since previous report${sp.previousReportId ? ` (${esc(sp.previousReportId)})` : ''}</h2>`,
    sp.previousReportId ? '' : '<p class="muted">No previous report for this upgrade and cluster.</p>',
    '<h3>Clients</h3>',
    refsTable('new-clients', sp.newClients),
    '<h3>Findings</h3>',
    refsTable('new-findings', sp.newFindings),
    '<h2>Fixed since previous report</h2>',
    '<h3>Clients</h3>',
    refsTable('fixed-clients', sp.fixedClients),
    '<h3>Findings</h3>',
    refsTable('fixed-findings', sp.fixedFindings),
    '<h2>Evidence</h2>',
    doc.clients.map(evidence).join('') || '<p class="muted">None.</p>',
    ...(doc.sections ?? []).map(
      (x) =>
        `<h2>${esc(x.title)}</h2><p>${esc(x.text)}</p>` +
        (x.rows.length
          ? `<table><tr>${x.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>${x.rows
              .map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
              .join('')}</table>`
          : '<p class="muted">None.</p>'),
    ),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}
