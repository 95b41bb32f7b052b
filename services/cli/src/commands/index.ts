import type { Command } from 'commander';
import { registerAlerts } from './alerts.js';
import { registerCatalog } from './catalog.js';
import { registerClusters } from './clusters.js';
import { registerIngest } from './ingest.js';
import { registerMigrate } from './migrate.js';
import { registerPlan } from './plan.js';
import { registerQuery } from './query.js';
import { registerRank } from './rank.js';
import { registerReport } from './report.js';
import { registerRollbackCheck } from './rollback-check.js';
import { registerScheduler } from './scheduler.js';
import { registerServe } from './serve.js';
import { registerWorkers } from './worker.js';

/** Every `radar` sub-command; one module each, registered in the order help lists them. */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerIngest(program);
  registerQuery(program);
  registerMigrate(program);
  registerCatalog(program);
  registerRank(program);
  registerReport(program);
  registerAlerts(program);
  registerClusters(program);
  registerPlan(program);
  registerRollbackCheck(program);
  registerScheduler(program);
  registerWorkers(program);
}
