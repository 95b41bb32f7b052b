import { InvalidArgumentError, Option } from 'commander';

/**
 * Options every command declares the same way: commander checks them before the action runs
 * (one line naming the option and the value, exit 2), so no command checks them by hand.
 */
export function formatOption<const F extends string>(choices: readonly F[], fallback: F): Option {
  return new Option('--format <format>', choices.join(' | ')).choices(choices).default(fallback);
}

/** A number option in [min, max] (whole unless `fraction`). */
export function numberArg(min: number, max: number, opts: { fraction?: boolean } = {}) {
  return (value: string): number => {
    const n = Number(value);
    const whole = opts.fraction || Number.isSafeInteger(n);
    if (value.trim() === '' || !Number.isFinite(n) || !whole || n < min || n > max)
      throw new InvalidArgumentError(`Use a${opts.fraction ? '' : ' whole'} number from ${min} to ${max}`);
    return n;
  };
}
