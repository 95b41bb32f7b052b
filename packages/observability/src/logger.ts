import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout (one object per line), one logger per service instance. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
