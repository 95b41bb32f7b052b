// @radar/upgrade: the upgrade itself — cluster versions from traffic, the mixed-version window,
// the roll plan and rollback readiness (docs/upgrade-window.md, docs/rollback.md).
export { type Change, resourcesOf, type UpgradeChanges, upgradeChanges } from './changes.js';
export {
  type ApiserverSeen,
  type ClusterVersions,
  CONTROL_PLANE,
  deriveClusters,
  type MinorSpan,
  type NodeSkew,
  type Upgrade,
  type VersionRow,
} from './clusters.js';
export {
  type DefaultServed,
  defaultServed,
  detectEmulation,
  EMULATION_REACH,
  type EmulatedVersion,
  type EmulationEvidence,
  type EmulationRow,
  emulationProbes,
} from './emulation.js';
export {
  type ClusterWithEmulation,
  HOLD_LIMIT,
  LIST_LIMIT,
  loadClusters,
  loadEmulation,
  loadMixedWrites,
  loadPlan,
  loadRollbackCheck,
  type MixedResult,
  type Window,
} from './load.js';
export { type MixedWindow, type MixedWrite, type MixedWriteRow, mixedWindow, mixedWrites } from './mixed.js';
export {
  HOURS_PER_WEEK,
  type HoldItem,
  hourLabel,
  planRoll,
  type RateRow,
  type RollWindow,
  type UpgradePlan,
} from './plan.js';
export {
  type AddedFieldRow,
  type RollbackCheck,
  type RollbackFinding,
  type RollbackObjectRow,
  rollbackCheck,
} from './rollback.js';
export { planSection, rollbackSection, type Section } from './sections.js';
export { inUpgrade, minorNumber, minorOf, minorText } from './version.js';
