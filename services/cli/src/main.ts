#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { unknownOption } from './argv.js';
import { registerCommands } from './commands/index.js';

// Argument mistakes are one line (exit 2): commander's message without the usage after it.
const program = new Command('radar')
  .description('upgrade-radar: which Kubernetes clients break or corrupt objects across an upgrade')
  .configureOutput({
    outputError: (text, write) =>
      write(
        `radar: ${text
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')
          .trim()}\n`,
      ),
  })
  .exitOverride();
await registerCommands(program, process.argv);

const unknown = unknownOption(program, process.argv);
if (unknown) {
  process.stderr.write(`${unknown}\n`);
  process.exit(2);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  // Loaded only on failure: it reads the store's error codes (the client library).
  const { failure } = await import('./errors.js');
  const { exitCode, text } = failure(err);
  process.stderr.write(`${text}\n`);
  process.exit(exitCode);
}
