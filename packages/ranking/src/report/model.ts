import type { Finding, RankedClient, RankWindow, Severity } from '../types.js';

export interface ClientRef {
  client: string;
  clientVersion: string | null;
  severity: Severity;
  owners: string[];
}

export interface FindingRef extends ClientRef {
  change: Finding['change'];
  group: string;
  version: string;
  resource: string;
  path?: string;
  verb: string;
  count: number;
}

export interface DailySeries {
  client: string;
  clientVersion: string | null;
  /** Risky requests on each day of `days`. */
  counts: number[];
}

/** Everything a report shows; stored as JSON in report_history and written as report.json. */
export interface ReportDoc {
  reportId: string;
  reportKey: string;
  period: string;
  periodStart: string;
  generatedAt: string;
  current: string;
  target: string;
  cluster: string | null;
  window: RankWindow;
  summary: { clients: number; riskyRequests: number; bySeverity: Record<Severity, number> };
  daily: { days: string[]; series: DailySeries[] };
  clients: RankedClient[];
  sincePrevious: {
    previousReportId: string | null;
    newClients: ClientRef[];
    fixedClients: ClientRef[];
    newFindings: FindingRef[];
    fixedFindings: FindingRef[];
  };
  /** Extra sections, kept in the stored report so a rerun renders them unchanged. */
  sections?: ReportSection[];
}

/**
 * A section another part of radar adds to the report (the upgrade plan, rollback readiness:
 * @radar/upgrade through the CLI): a title, a line of text and a table, rendered escaped.
 */
export interface ReportSection {
  title: string;
  text: string;
  columns: string[];
  rows: (string | number)[][];
}
