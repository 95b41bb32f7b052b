import { InputError } from '@radar/errors';

/** A mistake in what the user asked for: printed without a stack, exit code 2, nothing written. */
export class UsageError extends InputError {
  override readonly name = 'UsageError';
}
