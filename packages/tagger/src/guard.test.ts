import { decodeMessage, GUARD_FIELDS_KEY, GUARD_VERDICT_KEY } from '@radar/audit-events';
import { parseUserAgent } from '@radar/client-identity';
import { describe, expect, it } from 'vitest';
import { guardFieldsOf, guardVerdictOf } from './guard.js';
import { tagEvent } from './tag.js';

// The shape the apiserver records for a PUT the guard refused: its audit annotations under the
// webhook's name, and the 403 Status its answer carried (the Forbidden shape of the audit2rbac
// sample in testdata/audit, with the apiserver's "admission webhook ... denied" prefix).
const denied = (annotations: Record<string, unknown>) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID: 'b0a1c2d3-0000-4000-8000-000000000001',
  stage: 'ResponseComplete',
  requestURI: '/apis/networking.k8s.io/v1beta1/namespaces/shop/ingresses/shop',
  verb: 'update',
  user: { username: 'deploy-bot', groups: ['system:authenticated'] },
  userAgent: 'deploy-bot/v1.16.3 (linux/amd64) kubernetes/b3cbbae',
  objectRef: {
    resource: 'ingresses',
    namespace: 'shop',
    name: 'shop',
    apiGroup: 'networking.k8s.io',
    apiVersion: 'v1beta1',
  },
  responseStatus: {
    metadata: {},
    status: 'Failure',
    message:
      'admission webhook "guard.upgrade-radar.io" denied the request: upgrade-radar guard refused this full update (PUT)',
    reason: 'Forbidden',
    code: 403,
  },
  requestReceivedTimestamp: '2026-11-20T10:00:00.123456Z',
  stageTimestamp: '2026-11-20T10:00:00.140000Z',
  annotations: {
    'authorization.k8s.io/decision': 'allow',
    'authorization.k8s.io/reason': '',
    ...annotations,
  },
});

function tagged(annotations: Record<string, unknown>) {
  const [r] = decodeMessage(JSON.stringify(denied(annotations)));
  if (r?.kind !== 'ok') throw new Error(`refused: ${JSON.stringify(r)}`);
  return tagEvent(r.value, { cluster: 'prod', source: 'test' }, { parseUserAgent });
}

describe('guard verdicts from audit annotations', () => {
  it('stores the verdict and fields the guard annotated, beside the 403 it answered', () => {
    const row = tagged({
      [GUARD_VERDICT_KEY]: 'denied',
      [GUARD_FIELDS_KEY]: 'dropped:spec.rules[].http.paths[].pathType',
      'guard.upgrade-radar.io/clients': 'deploy-bot 1.16.3 (1.16)',
    });
    expect(row).toMatchObject({
      status_code: 403,
      client_name: 'deploy-bot',
      guard_verdict: 'denied',
      guard_fields: 'dropped:spec.rules[].http.paths[].pathType',
    });
  });

  it('stores nothing for an event the guard did not annotate', () => {
    expect(tagged({})).toMatchObject({ guard_verdict: '', guard_fields: '' });
  });

  it('never refuses the event for hostile values: unknown or non-string verdicts are "other", fields are bounded', () => {
    for (const v of [42, { x: 1 }, ['denied'], true, 'DENIED', 'allow', 'x'.repeat(100_000)]) {
      expect(tagged({ [GUARD_VERDICT_KEY]: v }).guard_verdict).toBe('other');
    }
    const huge = tagged({
      [GUARD_VERDICT_KEY]: 'warned',
      [GUARD_FIELDS_KEY]: `dropped:${'a'.repeat(1_000_000)}`,
    });
    expect(huge.guard_verdict).toBe('warned');
    expect(huge.guard_fields).toHaveLength(256);
    expect(huge.guard_fields.endsWith('a...')).toBe(true);
    expect(tagged({ [GUARD_FIELDS_KEY]: 7 }).guard_fields).toBe('');
    expect(tagged({ [GUARD_VERDICT_KEY]: null, [GUARD_FIELDS_KEY]: null })).toMatchObject({
      guard_verdict: '',
      guard_fields: '',
    });
  });
});

describe('guardVerdictOf / guardFieldsOf', () => {
  it('keeps the four verdicts the guard writes, blanks as none', () => {
    for (const v of ['denied', 'warned', 'would-deny', 'undecided']) expect(guardVerdictOf(v)).toBe(v);
    expect(guardVerdictOf(' denied ')).toBe('denied');
    expect(guardVerdictOf('')).toBe('');
    expect(guardVerdictOf('   ')).toBe('');
    expect(guardVerdictOf(undefined)).toBe('');
  });

  it('never keeps a piece of a field the cut went through', () => {
    expect(guardFieldsOf('dropped:x,'.repeat(50_000))).toBe('dropped:x');
    expect(guardFieldsOf(`dropped:a,${'dropped:b,'.repeat(500)}dropped:c`)).toBe('dropped:a,dropped:b');
    expect(guardFieldsOf(`dropped:a,${'b'.repeat(10_000)}`)).toBe(`dropped:a,${'b'.repeat(253)}...`);
  });

  it('trims, dedupes and caps the field list: 16 entries of 256 characters, 1024 in all', () => {
    expect(guardFieldsOf(' dropped:a , reset:b,,dropped:a,')).toBe('dropped:a,reset:b');
    const many = Array.from({ length: 40 }, (_, i) => `dropped:f${i}`).join(',');
    expect(guardFieldsOf(many).split(',')).toHaveLength(16);
    const long = Array.from({ length: 10 }, (_, i) => `${i}${'p'.repeat(300)}`).join(',');
    const out = guardFieldsOf(long);
    expect(out.length).toBeLessThanOrEqual(1024);
    expect(out.split(',').every((f) => f.length === 256 && f.endsWith('...'))).toBe(true);
  });
});
