export { PolicyError, RankInputError } from './errors.js';
export { type GuardRow, guardEntries, guardLabel, guardPaths, withGuard } from './guard.js';
export { objectKey } from './objects.js';
export { hourPeriod, isoWeek, reportIdOf, reportKey, snapshotKey } from './periods.js';
export {
  type CompiledPolicy,
  compilePolicy,
  EMPTY_POLICY,
  loadPolicy,
  type Policy,
  parsePolicy,
  policySchema,
} from './policy.js';
export { planRank, type RankOptions, type RankPlan, rank, rankRows } from './rank.js';
export { GUARD_SECTION_TITLE, guardSection } from './report/guard.js';
export { renderHtml } from './report/html.js';
export { clientsMarkdown, renderMarkdown, sectionMarkdown } from './report/markdown.js';
export type { ClientRef, DailySeries, FindingRef, ReportDoc, ReportSection } from './report/model.js';
export { type ReportOptions, type WriteReportResult, writeReport, writeReportFiles } from './report/write.js';
export { assessRequest, buildRiskIndex, type RequestShape, type RiskHit, type RiskIndex } from './risk.js';
export { compareClients, score } from './score.js';
export { type SnapshotResult, saveRankSnapshot } from './snapshot.js';
export type {
  Change,
  ChangeKind,
  Finding,
  GuardCounts,
  GuardEntry,
  RankedClient,
  RankResult,
  RankWindow,
  Severity,
} from './types.js';
export { SEVERITIES } from './types.js';
export { kubeMinorOfOverride, minorNumber, minorString } from './versions.js';
export { parseWindow, resolveWindow, type WindowInput } from './window.js';
