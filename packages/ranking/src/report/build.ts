import { clientKey, decideRow } from '../decide.js';
import type { RankPlan } from '../rank.js';
import type { DailyRow } from '../rows.js';
import { type RankedClient, type RankResult, SEVERITIES, type Severity } from '../types.js';
import type { ClientRef, DailySeries, FindingRef, ReportDoc } from './model.js';

/** Every UTC day the window touches, 'YYYY-MM-DD'. */
export function windowDays(from: Date, to: Date): string[] {
  const days: string[] = [];
  let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (; t <= to.getTime(); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Risky requests per client per day, by the same per-row decision as rank. */
export function dailySeries(rows: readonly DailyRow[], plan: RankPlan, clients: readonly RankedClient[]) {
  const days = windowDays(plan.from, plan.to);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const series = new Map<string, DailySeries>(
    clients.map((c) => [
      clientKey(c.client === '(unknown)' ? '' : c.client, c.clientVersion ?? ''),
      { client: c.client, clientVersion: c.clientVersion, counts: days.map(() => 0) },
    ]),
  );
  for (const row of rows) {
    const i = dayIndex.get(String(row.day).slice(0, 10));
    const s = series.get(clientKey(row.client_name, row.client_version));
    if (i === undefined || !s) continue;
    if (decideRow(row, plan.index, plan.policy, plan.kubeFloor).hits.length > 0)
      s.counts[i] = (s.counts[i] ?? 0) + row.requests;
  }
  return { days, series: [...series.values()] };
}

const refOf = (c: RankedClient): ClientRef => ({
  client: c.client,
  clientVersion: c.clientVersion,
  severity: c.severity,
  owners: c.owners,
});

function findingRefs(clients: readonly RankedClient[]): Map<string, FindingRef> {
  const out = new Map<string, FindingRef>();
  for (const c of clients) {
    for (const f of c.findings) {
      const key = [
        c.client,
        c.clientVersion ?? '',
        f.change,
        f.group,
        f.version,
        f.resource,
        f.path ?? '',
        f.verb,
      ].join('\u0000');
      out.set(key, {
        ...refOf(c),
        severity: f.severity,
        change: f.change,
        group: f.group,
        version: f.version,
        resource: f.resource,
        ...(f.path ? { path: f.path } : {}),
        verb: f.verb,
        count: f.count,
      });
    }
  }
  return out;
}

/** What appeared and what went away since the previous report of the same upgrade and cluster. */
export function diffReports(
  clients: readonly RankedClient[],
  previous: Pick<ReportDoc, 'reportId' | 'clients'> | undefined,
): ReportDoc['sincePrevious'] {
  if (!previous) {
    return { previousReportId: null, newClients: [], fixedClients: [], newFindings: [], fixedFindings: [] };
  }
  const key = (c: RankedClient) => clientKey(c.client, c.clientVersion ?? '');
  const now = new Map(clients.map((c) => [key(c), c]));
  const before = new Map(previous.clients.map((c) => [key(c), c]));
  const nowF = findingRefs(clients);
  const beforeF = findingRefs(previous.clients);
  return {
    previousReportId: previous.reportId,
    newClients: [...now].filter(([k]) => !before.has(k)).map(([, c]) => refOf(c)),
    fixedClients: [...before].filter(([k]) => !now.has(k)).map(([, c]) => refOf(c)),
    newFindings: [...nowF].filter(([k]) => !beforeF.has(k)).map(([, f]) => f),
    fixedFindings: [...beforeF].filter(([k]) => !nowF.has(k)).map(([, f]) => f),
  };
}

export function buildReport(args: {
  reportId: string;
  reportKey: string;
  period: string;
  periodStart: Date;
  generatedAt: Date;
  result: RankResult;
  daily: ReportDoc['daily'];
  previous: Pick<ReportDoc, 'reportId' | 'clients'> | undefined;
}): ReportDoc {
  const { result } = args;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const c of result.clients) bySeverity[c.severity] += 1;
  return {
    reportId: args.reportId,
    reportKey: args.reportKey,
    period: args.period,
    periodStart: args.periodStart.toISOString().slice(0, 10),
    generatedAt: args.generatedAt.toISOString(),
    current: result.current,
    target: result.target,
    cluster: result.cluster,
    window: result.window,
    summary: {
      clients: result.clients.length,
      riskyRequests: result.clients.reduce((n, c) => n + c.requests, 0),
      bySeverity,
    },
    daily: args.daily,
    clients: result.clients,
    sincePrevious: diffReports(result.clients, args.previous),
  };
}
