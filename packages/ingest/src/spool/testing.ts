import { parseUserAgent } from '@radar/client-identity';
import type { EncodedRows } from '../encoded.js';
import { processBatch } from '../pipeline.js';

export interface TestRowsOptions {
  cluster?: string;
  /** Audit ID of row i (default `<prefix>-<i>`). */
  id?: (i: number) => string;
  /** User agent of row i (undefined: kubectl 1.20): lets a test make the store refuse some rows. */
  userAgent?: (i: number) => string | undefined;
}

/**
 * Encoded rows of n `get pods` requests as the webhook produces them, for the spool's tests (its
 * own, the property test, the webhook's): every request distinct, all at one receive time.
 */
export function spoolTestRows(prefix: string, n: number, opts: TestRowsOptions = {}): EncodedRows {
  const cluster = opts.cluster ?? 'c';
  const messages = Array.from({ length: n }, (_, i) => ({
    value: JSON.stringify({
      auditID: opts.id ? opts.id(i) : `${prefix}-${i}`,
      stage: 'ResponseComplete',
      verb: 'get',
      requestURI: `/api/v1/namespaces/ns/pods/p${i}`,
      userAgent: opts.userAgent?.(i) ?? 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
      objectRef: { resource: 'pods', namespace: 'ns', name: `p${i}`, apiVersion: 'v1' },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: '2026-11-20T10:00:00.000000Z',
    }),
    partition: 0,
    offset: i,
  }));
  return processBatch(
    messages,
    { tagger: { cluster, source: 'webhook' }, decode: { maxBytes: 1 << 20 } },
    { parseUserAgent },
  ).rows;
}
