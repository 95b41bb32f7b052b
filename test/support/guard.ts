import { expect } from 'vitest';
import { parseGuardPolicy } from '../../packages/guard/src/index.js';
import { admissionReview, INGRESS, ingress } from '../../packages/guard/src/testing.js';
import type { GuardSettings } from '../../services/guard/src/index.js';
import { httpsRequest, type TestCert } from './tls.js';

/**
 * A guard for 1.17 -> 1.18 on a free loopback port: audit mode, but deny in `deny-*` and warn in
 * `warn-*` namespaces, so one guard answers all three modes; 14 days learned.
 */
export const testGuardSettings = (tls: TestCert, over: Partial<GuardSettings> = {}): GuardSettings => ({
  host: '127.0.0.1',
  port: 0,
  cert: tls.cert,
  key: tls.key,
  from: '1.17',
  to: '1.18',
  mode: 'audit',
  policy: parseGuardPolicy(
    {
      namespaces: [
        { namespace: 'deny-*', mode: 'deny' },
        { namespace: 'warn-*', mode: 'warn' },
      ],
    },
    'test',
  ),
  learnMs: 14 * 86_400_000,
  refreshMs: 60_000,
  maxStalenessMs: 600_000,
  maxBodyBytes: 256 * 1024,
  requestTimeoutMs: 10_000,
  cluster: '',
  ...over,
});

export interface ReviewAnswer {
  uid: string;
  allowed: boolean;
  warnings?: string[];
  status?: { code: number; message: string };
  auditAnnotations?: Record<string, string>;
}

/** POSTs a review to a guard over HTTPS; asserts the answer is a 200 admission.k8s.io/v1 review. */
export async function postReview(port: number, ca: string, body: unknown): Promise<ReviewAnswer> {
  const res = await httpsRequest(port, ca, { body: typeof body === 'string' ? body : JSON.stringify(body) });
  expect(res.status).toBe(200);
  const doc = JSON.parse(res.body);
  expect(doc).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
  return doc.response as ReviewAnswer;
}

/** One sample of a guard's /metrics (exact label set), NaN when absent. */
export async function guardMetric(port: number, ca: string, name: string, labels = ''): Promise<number> {
  const text = (await httpsRequest(port, ca, { method: 'GET', path: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : Number.NaN;
}

/** A full update of an Ingress whose two paths lose `pathType` (set to Prefix before). */
export const dropPathType = (username: string, namespace: string, extra: Record<string, unknown> = {}) =>
  admissionReview({
    ...INGRESS,
    uid: `uid-${username}-${namespace}`,
    username,
    namespace,
    object: ingress(undefined),
    oldObject: ingress('Prefix'),
    ...extra,
  });
