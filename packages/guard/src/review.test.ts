import { describe, expect, it } from 'vitest';
import { readReview, uidFromHead } from './review.js';
import { admissionReview, INGRESS, ingress } from './testing.js';

describe('readReview', () => {
  it('reads an admission.k8s.io/v1 AdmissionReview built on the fixture shape', () => {
    const body = JSON.stringify(
      admissionReview({
        ...INGRESS,
        username: 'bot',
        object: ingress(undefined),
        oldObject: ingress('Exact'),
      }),
    );
    const r = readReview(body);
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') expect(r.request.userInfo.username).toBe('bot');
  });

  it('names the reason and keeps the uid when it can', () => {
    const ok = admissionReview({ ...INGRESS, uid: 'u-7', username: 'b', object: {}, oldObject: {} });
    expect(readReview('{nope')).toMatchObject({ kind: 'bad', reason: 'not-json', uid: '' });
    expect(readReview('[1]')).toMatchObject({ reason: 'not-a-review' });
    expect(readReview(JSON.stringify({ ...ok, apiVersion: 'admission.k8s.io/v1beta1' }))).toMatchObject({
      reason: 'wrong-api-version',
      uid: 'u-7',
    });
    expect(readReview(JSON.stringify({ ...ok, kind: 'Pod' }))).toMatchObject({
      reason: 'not-a-review',
      uid: 'u-7',
    });
    const noUser = structuredClone(ok) as { request: Record<string, unknown> };
    delete noUser.request.userInfo;
    expect(readReview(JSON.stringify(noUser))).toMatchObject({ reason: 'malformed', uid: 'u-7' });
  });

  it('finds the uid in the head of a body cut short', () => {
    expect(uidFromHead('{"kind":"AdmissionReview","request":{"uid":"ab-12","kind":{')).toBe('ab-12');
    expect(uidFromHead('{"request":{"uid":"<script>"}}')).toBe('');
  });
});
