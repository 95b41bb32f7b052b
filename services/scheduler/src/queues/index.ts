import { alertChecks } from './alert-checks.js';
import { rankSnapshots } from './rank-snapshots.js';
import type { QueueModule } from './types.js';
import { weeklyReport } from './weekly-report.js';

/** Every queue the scheduler runs. */
export const QUEUES: readonly QueueModule<unknown>[] = [rankSnapshots, weeklyReport, alertChecks];

export type { JobDeps, Plan, QueueModule } from './types.js';
export { alertChecks, rankSnapshots, weeklyReport };
