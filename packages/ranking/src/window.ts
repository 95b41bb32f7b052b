import ms from 'ms';
import { RankInputError } from './errors.js';

/** '90m', '24h', '7d', '2w' -> milliseconds. Zero or malformed durations are refused. */
export function parseWindow(text: string): number {
  // ms also reads '7 days' or '1.5h'; the CLI documents the compact forms only.
  const t = text.trim();
  if (!/^\d+[mhdw]$/.test(t)) {
    throw new RankInputError(`window "${text}" is not a duration like 90m, 24h, 7d or 2w`);
  }
  const out = ms(t as ms.StringValue);
  if (!(out > 0)) throw new RankInputError(`window "${text}" is empty`);
  return out;
}

export interface WindowInput {
  /** A duration ending at `to` (default now), e.g. '7d'. */
  since?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  now?: Date | undefined;
}

/** Resolves a window to absolute instants; an empty or reversed window is a usage error. */
export function resolveWindow(w: WindowInput): { from: Date; to: Date } {
  const to = w.to ?? w.now ?? new Date();
  const from = w.from ?? new Date(to.getTime() - parseWindow(w.since ?? '7d'));
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new RankInputError('window has an invalid date');
  }
  if (from.getTime() >= to.getTime()) {
    throw new RankInputError(
      `window is empty: from ${from.toISOString()} is not before to ${to.toISOString()}`,
    );
  }
  return { from, to };
}
