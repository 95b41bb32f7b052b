export {
  ALERT_DEFAULTS,
  type CheckOptions,
  type CheckResult,
  checkAlerts,
  deliverPending,
} from './check.js';
export { deliver } from './deliver.js';
export { buildGuardAlerts, type GuardRow, guardSummary } from './guard.js';
export {
  type Allowlisted,
  applyPolicy,
  buildAlerts,
  candidateParams,
  type RuleSet,
  ruleSet,
  severityOf,
  summarize,
} from './rules.js';
export {
  alertmanagerSink,
  createSink,
  type FetchLike,
  type HttpRequest,
  loadSinks,
  type PostResult,
  parseSinkConfigs,
  postWithRetry,
  type RetryPolicy,
  type Sink,
  type SinkConfig,
  SinkConfigError,
  sinkConfigSchema,
  slackSink,
  webhookSink,
} from './sinks/index.js';
export { type AlertListRow, listAlerts, readWatermark } from './state.js';
export { type SuppressedFinding, suppress } from './suppress.js';
export type {
  Alert,
  AlertChange,
  AlertSeverity,
  CandidateRow,
  ClientPolicy,
  DeliveryOutcome,
} from './types.js';
export { AlertInputError, parseClusterMinor } from './version.js';
