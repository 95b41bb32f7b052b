#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { failure } from './errors.js';

const program = new Command('radar')
  .description('upgrade-radar: which Kubernetes clients break or corrupt objects across an upgrade')
  .showHelpAfterError()
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  const { exitCode, text } = failure(err);
  process.stderr.write(`${text}\n`);
  process.exit(exitCode);
}
