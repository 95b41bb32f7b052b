import { CatalogInputError, parseMinor } from '@radar/catalog';

/** A mistake in what the caller asked for (a version, a scope); the message names it. */
export class AlertInputError extends Error {
  override readonly name = 'AlertInputError';
}

/** '1.30.4' -> 30; versions the catalog does not cover are refused rather than guessed. */
export function parseClusterMinor(version: string): number {
  try {
    const minor = parseMinor(version);
    return Number(minor.slice(minor.indexOf('.') + 1));
  } catch (err) {
    if (err instanceof CatalogInputError) throw new AlertInputError((err as Error).message);
    throw err;
  }
}
