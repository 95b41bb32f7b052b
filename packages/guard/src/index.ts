// @radar/guard: the admission guard's decision, pure functions over typed inputs (docs/guard.md).
export { compareObjects, type Finding } from './compare.js';
export { type DecideDeps, decide, type Outcome, type Suspect, type Verdict } from './decide.js';
export {
  type CompiledGuardPolicy,
  compileGuardPolicy,
  EMPTY_GUARD_POLICY,
  type GuardPolicy,
  GuardPolicyError,
  loadGuardPolicy,
  MODES,
  type Mode,
  parseGuardPolicy,
} from './policy.js';
export { reviewResponse } from './respond.js';
export {
  type AdmissionRequest,
  type BadReviewReason,
  type ReadReview,
  readReview,
  uidFromHead,
} from './review.js';
export { buildRules, type GuardRule, type RuleSet, resourceKey } from './rules.js';
export { type SimulatedClient, type StoredUpdates, simulate } from './simulate.js';
export { buildUserTable, judgeUser, type LearnedRow, type SeenClient, type UserTable } from './users.js';
export {
  upgradeAnnotation,
  WEBHOOK_NAME,
  type WebhookConfigOptions,
  webhookConfiguration,
  webhookConfigurationYaml,
  webhookEntry,
  webhookHelmValues,
  webhookHelmValuesYaml,
} from './webhook-config.js';
