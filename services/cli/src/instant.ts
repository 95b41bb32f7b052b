import { UsageError } from './errors.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A window bound: a UTC date (midnight) or an ISO 8601 instant with its zone; nothing looser. */
export function parseInstant(flag: string, text: string): Date {
  const d = INSTANT.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text) : undefined;
  // Date rolls 2026-02-30 over to March: the calendar date must survive the round trip.
  const [y, m, day] = text.slice(0, 10).split('-').map(Number);
  const real =
    d !== undefined && new Date(Date.UTC(y!, m! - 1, day!)).toISOString().slice(0, 10) === text.slice(0, 10);
  if (!d || Number.isNaN(d.getTime()) || !real)
    throw new UsageError(
      `${flag} ${JSON.stringify(text)}: use a date (2026-03-01) or an instant (2026-03-01T12:00:00Z)`,
    );
  return d;
}
