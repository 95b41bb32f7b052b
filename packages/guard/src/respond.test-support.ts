import { type AdmissionRequest, readReview } from './review.js';

/** The request of a review as the server reads it (through readReview, so tests use its parse). */
export function respondable(review: Record<string, unknown>): AdmissionRequest {
  const r = readReview(JSON.stringify(review));
  if (r.kind !== 'ok') throw new Error(`test review refused: ${r.reason} ${r.detail}`);
  return r.request;
}
