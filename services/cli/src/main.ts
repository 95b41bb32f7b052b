#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { unknownOption } from './argv.js';
import { registerCommands } from './commands/index.js';
import { failure } from './errors.js';

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
registerCommands(program);

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
  const { exitCode, text } = failure(err);
  process.stderr.write(`${text}\n`);
  process.exit(exitCode);
}
