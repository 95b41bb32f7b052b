import * as alerts from './alerts.js';
import * as catalog from './catalog.js';
import * as evidence from './evidence.js';
import * as guard from './guard.js';
import * as ingest from './ingest.js';
import * as rank from './rank.js';
import * as upgrade from './upgrade.js';

export * from './alerts.js';
export * from './catalog.js';
export * from './evidence.js';
export * from './guard.js';
export * from './ingest.js';
export * from './rank.js';
export * from './upgrade.js';

/** Every named query, for the test that holds each one to its SQL file and runs it. */
export const ALL_QUERIES = [
  ...Object.values(alerts),
  ...Object.values(catalog),
  ...Object.values(evidence),
  ...Object.values(guard),
  ...Object.values(ingest),
  ...Object.values(rank),
  ...Object.values(upgrade),
].filter((q): q is Extract<typeof q, { run: unknown }> => typeof q === 'object' && q !== null && 'run' in q);
