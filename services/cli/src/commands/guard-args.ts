import { MODES, type Mode } from '@radar/guard';
import { UsageError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** '30s', '10m', '14d' -> ms; a usage error naming the option otherwise. */
export function duration(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^([1-9]\d*)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new UsageError(`${option} ${text}: use a duration like 30s, 10m, 24h or 14d`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export function mode(text: string | undefined): Mode | undefined {
  if (text === undefined) return undefined;
  if (!(MODES as readonly string[]).includes(text))
    throw new UsageError(`--mode ${text}: use ${MODES.join(', ')}`);
  return text as Mode;
}
