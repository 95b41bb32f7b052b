import type { Command } from 'commander';
import { registerIngest } from './ingest.js';
import { registerMigrate } from './migrate.js';
import { registerQuery } from './query.js';

/** Every `radar` sub-command; one module each, registered in the order help lists them. */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerQuery(program);
  registerMigrate(program);
}
