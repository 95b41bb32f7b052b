import { expect } from 'vitest';
import { admissionReview, INGRESS, ingress } from '../../packages/guard/src/testing.js';
import { httpsRequest } from './tls.js';

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
