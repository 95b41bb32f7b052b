import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TIME_MS, MIN_TIME_MS, readTime } from './time.js';
import { receivedAt, validateEvent } from './validate.js';

const good = {
  auditID: 'a1',
  stage: 'ResponseComplete',
  verb: 'get',
  requestURI: '/api/v1/pods',
  requestReceivedTimestamp: '2026-11-20T10:00:00.123456Z',
};
const check = (over: Record<string, unknown>) => validateEvent({ ...good, ...over });

describe('readTime', () => {
  it('reads RFC 3339 forms exactly and writes one canonical form', () => {
    const cases: [string, string][] = [
      ['2026-11-20T10:00:00.123456Z', '2026-11-20T10:00:00.123Z'],
      ['2026-11-20T10:00:00.123999999Z', '2026-11-20T10:00:00.123Z'],
      ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z'],
      ['2026-11-20T10:00:00.1+05:30', '2026-11-20T04:30:00.100Z'],
      ['2026-11-20t10:00:00-0100', '2026-11-20T11:00:00.000Z'],
      ['2026-11-20 10:00', '2026-11-20T10:00:00.000Z'],
      ['2026-11-20T10:00:00', '2026-11-20T10:00:00.000Z'], // no zone: UTC, never the host's
      ['2026-11-20', '2026-11-20T00:00:00.000Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
      ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
      ['2149-06-06T23:59:59.999Z', '2149-06-06T23:59:59.999Z'],
      ['2026-11-20T10:00:00.123Z', '2026-11-20T10:00:00.123Z'],
    ];
    for (const [s, iso] of cases) {
      const t = readTime(s);
      expect(t, s).toEqual({ ok: true, ms: Date.parse(iso), iso });
    }
  });

  it('refuses what the store would refuse, wrap or misread', () => {
    for (const s of [
      '0',
      '+275760-09-13T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      '0000-01-01T00:00:00Z', // the engine reads year 0 as this year
      '1969-12-31T23:59:59.999Z',
      '2149-06-07T00:00:00Z', // toDate() wraps from here
      '1970-01-01T00:30:00+01:00',
      '9999-12-31T23:59:59.999Z',
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20T23:59:60Z',
      '12/01/2026',
      'Tue, 01 Dec 2026 10:00:00 GMT',
      '2026-11-20T10:00:00.123Z\n',
      '',
    ]) {
      expect(readTime(s).ok, s).toBe(false);
    }
  });
});

describe('validateEvent', () => {
  it('rewrites the request time to its canonical form, and reads v1beta1 times in it', () => {
    const r = check({});
    expect(r.kind === 'ok' && r.value.requestReceivedTimestamp).toBe('2026-11-20T10:00:00.123Z');
    expect(r.kind === 'ok' && receivedAt(r.value)).toBe('2026-11-20T10:00:00.123Z');
    const v1beta1 = check({ requestReceivedTimestamp: undefined, timestamp: '2017-09-11T19:55:05+02:00' });
    expect(v1beta1.kind === 'ok' && receivedAt(v1beta1.value)).toBe('2017-09-11T17:55:05.000Z');
  });

  it('rejects a time JavaScript reads but the store cannot hold, naming field and value', () => {
    for (const t of ['0', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '1900-01-01T00:00:00Z']) {
      const r = check({ requestReceivedTimestamp: t });
      expect(r, t).toMatchObject({ kind: 'dlq', reason: 'invalid-timestamp' });
      expect(r.kind === 'dlq' && r.detail).toContain(`requestReceivedTimestamp: ${JSON.stringify(t)}`);
    }
    expect(check({ requestReceivedTimestamp: undefined, stageTimestamp: '12/01/2026' })).toMatchObject({
      reason: 'invalid-timestamp',
    });
  });

  it('keeps missing-timestamp for no time at all', () => {
    expect(check({ requestReceivedTimestamp: undefined })).toMatchObject({ reason: 'missing-timestamp' });
    expect(check({ requestReceivedTimestamp: 'nope' })).toMatchObject({ reason: 'missing-timestamp' });
    expect(check({ requestReceivedTimestamp: '' })).toMatchObject({ reason: 'missing-timestamp' });
  });

  it('makes the audit ID well-formed, keeping its length', () => {
    const r = check({ auditID: 'a\ud800b\udfff' });
    expect(r.kind === 'ok' && r.value.auditID).toBe('a\ufffdb\ufffd');
  });

  it('rejects a status code the column cannot hold', () => {
    for (const code of [-1, 65536, 1e300, 1.5]) {
      expect(check({ responseStatus: { code } }), String(code)).toMatchObject({ reason: 'invalid-event' });
    }
    const ok = check({ responseStatus: { code: -0 } });
    expect(ok.kind).toBe('ok');
  });
});

describe('readTime, property-based', () => {
  const storable = fc.date({ min: new Date(MIN_TIME_MS), max: new Date(MAX_TIME_MS), noInvalidDate: true });

  it('reads every RFC 3339 spelling of a storable instant as that instant, in one form', () => {
    fc.assert(
      fc.property(
        storable,
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }),
        fc.constantFrom('T', 't', ' '),
        (d, off, extra, sep) => {
          const local = new Date(d.getTime() + off * 60_000).toISOString();
          const a = Math.abs(off);
          const zone =
            off === 0
              ? 'Z'
              : `${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
          const s = `${local.slice(0, 10)}${sep}${local.slice(11, 23)}${extra}${zone}`;
          expect(readTime(s)).toEqual({ ok: true, ms: d.getTime(), iso: d.toISOString() });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never accepts what it cannot hold, and agrees with Date.parse on what it accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        (s) => {
          const t = readTime(s);
          if (!t.ok) return;
          expect(t.ms).toBeGreaterThanOrEqual(MIN_TIME_MS);
          expect(t.ms).toBeLessThanOrEqual(MAX_TIME_MS);
          expect(Date.parse(t.iso)).toBe(t.ms);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('validateEvent on junk', () => {
  it('refuses values with no auditID, verb or stage as not-an-event, before the schema', () => {
    for (const junk of [{}, { foo: 1 }, [], 'x', 7, null, { kind: 'Pod' }]) {
      expect(validateEvent(junk)).toMatchObject({ kind: 'dlq', reason: 'not-an-event' });
    }
    // Event-like but wrong: still the schema's precise complaint.
    expect(validateEvent({ auditID: 'a', verb: 3 })).toMatchObject({ kind: 'dlq', reason: 'invalid-event' });
  });
});
