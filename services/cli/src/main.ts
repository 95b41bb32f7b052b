#!/usr/bin/env node
import { exitCodeFor } from '@radar/errors';
import { engineErrorCode, storeErrorKind } from '@radar/store';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';

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
  // One taxonomy (@radar/errors): input errors (UsageError, ConfigError, values the engine
  // refused) exit 2, everything else exits 1; either way the message, not a stack trace. The
  // engine's messages go on for lines (a dump of the row): its first line says what it refused.
  const message = err instanceof Error ? err.message : String(err);
  const text = engineErrorCode(err) === undefined ? message : message.split('\n')[0]!;
  process.stderr.write(`radar: ${text}\n`);
  process.exit(exitCodeFor(storeErrorKind(err)));
}
