import { RankInputError } from './errors.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** '90m', '24h', '7d', '2w' -> milliseconds. Zero or malformed durations are refused. */
export function parseWindow(text: string): number {
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  if (!m) throw new RankInputError(`window "${text}" is not a duration like 90m, 24h, 7d or 2w`);
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (ms <= 0) throw new RankInputError(`window "${text}" is empty`);
  return ms;
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
