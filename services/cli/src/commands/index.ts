import type { Command } from 'commander';
import { registerAlerts } from './alerts.js';
import { registerCatalog } from './catalog.js';
import { registerIngest } from './ingest.js';
import { registerMigrate } from './migrate.js';
import { registerQuery } from './query.js';
import { registerScheduler } from './scheduler.js';

/** Every `radar` sub-command; one module each, registered in the order help lists them. */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerQuery(program);
  registerMigrate(program);
  registerCatalog(program);
  registerAlerts(program);
  registerScheduler(program);
}
