import type { Verdict } from './decide.js';

/** The admission.k8s.io/v1 answer to a review; an unreadable review gets an allowing one. */
export function reviewResponse(uid: string, verdict?: Verdict): Record<string, unknown> {
  const response: Record<string, unknown> = { uid, allowed: verdict?.allowed ?? true };
  if (verdict && !verdict.allowed) {
    response.status = { code: 403, reason: 'Forbidden', message: verdict.message ?? 'refused' };
  }
  if (verdict?.warnings.length) response.warnings = verdict.warnings;
  if (verdict && Object.keys(verdict.auditAnnotations).length) {
    response.auditAnnotations = verdict.auditAnnotations;
  }
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
