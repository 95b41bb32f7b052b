import { exitCodeFor, InputError } from '@radar/errors';
import { engineErrorCode, storeErrorKind } from '@radar/store';

/** A mistake in what the user asked for: printed without a stack, exit code 2, nothing written. */
export class UsageError extends InputError {
  override readonly name = 'UsageError';
}

/**
 * What `radar` prints and exits with for an error, by the one taxonomy (@radar/errors): input
 * errors (UsageError, ConfigError, values the engine refused) exit 2, everything else 1; either
 * way the message, not a stack trace. The engine's messages go on for lines (a dump of the row):
 * their first line says what was refused.
 */
export function failure(err: unknown): { exitCode: 1 | 2; text: string } {
  const message = err instanceof Error ? err.message : String(err);
  const text = engineErrorCode(err) === undefined ? message : message.split('\n')[0]!;
  return { exitCode: exitCodeFor(storeErrorKind(err)), text: `radar: ${text}` };
}
