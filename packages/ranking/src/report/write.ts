import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chTime, reportGet, reportPrevious, type Store } from '@radar/store';
import { claim } from '../history.js';
import { isoWeek, reportIdOf, reportKey } from '../periods.js';
import { planRank, type RankOptions, rankWithPlan, resultOf } from '../rank.js';
import { dailyRows } from '../rows.js';
import type { Change } from '../types.js';
import { buildReport, dailySeries } from './build.js';
import { guardSection } from './guard.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportDoc, ReportSection } from './model.js';

export interface ReportOptions extends RankOptions {
  /** Directory to write report.md, report.html and report.json into (created if missing). */
  out: string;
  /** Sections appended to a new report (computed by the caller, stored with it). */
  sections?: ReportSection[];
}

export interface WriteReportResult {
  dir: string;
  files: string[];
  reportId: string;
  /** False when a report for this period, upgrade pair and cluster already existed. */
  created: boolean;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${randomUUID()}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeReportFiles(doc: ReportDoc, out: string): { dir: string; files: string[] } {
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  const files = [
    ['report.md', renderMarkdown(doc)],
    ['report.html', renderHtml(doc)],
    ['report.json', `${JSON.stringify(doc, null, 2)}\n`],
  ].map(([name, text]) => {
    const path = join(dir, name!);
    writeAtomic(path, text!);
    return path;
  });
  return { dir, files };
}

/**
 * The weekly client-upgrade report. Its idempotency key is the ISO week of the window's end +
 * upgrade pair + cluster, recorded in report_history: a second run for the same key renders the
 * report first recorded (created=false) instead of producing another one.
 */
export async function writeReport(
  store: Store,
  catalog: readonly Change[],
  opts: ReportOptions,
): Promise<WriteReportResult> {
  const plan = planRank(catalog, opts); // validates before anything is read or written
  const { period, start } = isoWeek(plan.to);
  const base = resultOf(plan, []);
  const key = reportKey(period, base.current, base.target, plan.cluster);
  const reportId = reportIdOf(period, base.current, base.target, plan.cluster);

  const existing = await reportGet.run(store, { report_key: key });
  let doc: ReportDoc;
  let created = false;
  if (existing[0]) {
    doc = JSON.parse(existing[0].report) as ReportDoc;
  } else {
    // The daily series decides with the same field evidence (proven versions) as the ranking.
    const ranked = await rankWithPlan(store, catalog, { ...opts, from: plan.from, to: plan.to });
    const result = ranked.result;
    const rows = await dailyRows(store, plan.index, {
      from: plan.from,
      to: plan.to,
      cluster: plan.cluster,
      overrideClients: plan.policy.overrideClients,
    });
    const [prev] = await reportPrevious.run(store, {
      current: base.current,
      target: base.target,
      cluster: plan.cluster,
      before: start,
    });
    const fresh = buildReport({
      reportId,
      reportKey: key,
      period,
      periodStart: start,
      generatedAt: new Date(),
      result,
      daily: dailySeries(rows, ranked.plan, result.clients),
      previous: prev ? (JSON.parse(prev.report) as ReportDoc) : undefined,
    });
    // The guard's own verdicts first: they are this week's facts, the caller's sections plans.
    fresh.sections = [guardSection(result.guard), ...(opts.sections ?? [])];
    const claimed = await claim(store, {
      table: 'report_history',
      key,
      get: async (k) => (await reportGet.run(store, { report_key: k }))[0],
      row: (runId, createdAt) => ({
        report_key: key,
        report_id: reportId,
        run_id: runId,
        created_at: createdAt,
        period,
        period_start: fresh.periodStart,
        current: fresh.current,
        target: fresh.target,
        cluster: plan.cluster ?? '',
        window_from: chTime(plan.from),
        window_to: chTime(plan.to),
        clients: fresh.clients.length,
        report: JSON.stringify(fresh),
      }),
    });
    created = claimed.created;
    doc = created ? fresh : (JSON.parse(claimed.row.report) as ReportDoc);
  }
  const { dir, files } = writeReportFiles(doc, opts.out);
  return { dir, files, reportId: doc.reportId, created };
}
