import type { Command } from 'commander';

/** Every `radar` sub-command; one module each, registered in the order help lists them. */
export function registerCommands(program: Command): void {
  void program;
}
