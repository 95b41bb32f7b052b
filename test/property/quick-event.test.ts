/**
 * The hand-written event check (packages/audit-events/src/quick.ts) against the zod schema it
 * stands in for, on generated hostile events: whatever it accepts, the schema accepts with the
 * same result (it is sound), and on anything JSON.parse makes it accepts exactly what the schema
 * accepts (so the hot path never falls back to zod for a good event).
 */
import { auditEventSchema, quickEvent } from '@radar/audit-events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileNumber, hostileString, hostileTime } from './arbitraries.js';

const CASES = Number(process.env.FUZZ_RUNS ?? 10_000);

/** Anything that may stand where a value belongs: right types, wrong types, nulls, odd numbers. */
const odd = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  fc.constantFrom(-0, 1.5, 65535, 65536, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53),
  fc.array(fc.oneof(hostileString, fc.integer(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('code', 'username', 'groups', 'resource', 'x'),
    fc.oneof(hostileString, fc.integer()),
  ),
  fc.anything({ maxDepth: 2 }),
);
/** A field: absent (1 in `freq`), mostly a good value, now and then anything. */
const field = <T>(good: fc.Arbitrary<T>, freq = 5) =>
  fc.option(fc.oneof({ weight: 40, arbitrary: good }, { weight: 1, arbitrary: odd }), {
    nil: undefined,
    freq,
  });

const strings = fc.array(fc.oneof({ weight: 40, arbitrary: hostileString }, { weight: 1, arbitrary: odd }), {
  maxLength: 3,
});
const user = fc.record(
  { username: field(hostileString), groups: field(strings), uid: field(hostileString), extra: field(odd) },
  { requiredKeys: [] },
);
const objectRef = fc.record(
  Object.fromEntries(
    ['resource', 'namespace', 'name', 'apiGroup', 'apiVersion', 'subresource', 'uid'].map((k) => [
      k,
      field(hostileString),
    ]),
  ),
  { requiredKeys: [] },
);
const event = fc.record(
  {
    kind: field(fc.constant('Event')),
    apiVersion: field(fc.constantFrom('audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v2', '')),
    level: field(fc.constantFrom('None', 'Metadata', 'Request', 'RequestResponse', 'metadata')),
    auditID: field(
      fc.oneof(fc.uuid(), hostileString, fc.constantFrom('', 'x'.repeat(256), 'x'.repeat(257))),
      50,
    ),
    stage: field(fc.oneof(fc.constantFrom('ResponseComplete', 'Panic'), hostileString), 50),
    requestURI: field(hostileString),
    verb: field(fc.oneof(fc.constantFrom('get', 'update', ''), hostileString), 50),
    user: field(user),
    impersonatedUser: field(fc.oneof(user, fc.constant(null))),
    sourceIPs: field(strings),
    userAgent: field(hostileString),
    objectRef: field(fc.oneof(objectRef, fc.constant(null))),
    responseStatus: field(
      fc.oneof(
        fc.record({ code: field(hostileNumber), metadata: field(odd) }, { requiredKeys: [] }),
        fc.constant(null),
      ),
    ),
    requestObject: field(fc.anything({ maxDepth: 2 })),
    requestReceivedTimestamp: field(hostileTime),
    stageTimestamp: field(hostileTime),
    timestamp: field(hostileTime),
    annotations: field(
      fc.oneof(
        fc.record(
          {
            'k8s.io/deprecated': field(fc.constantFrom('true', 'false')),
            'k8s.io/removed-release': field(hostileString),
            'authorization.k8s.io/reason': field(hostileString),
            // The guard's verdicts (any JSON value: the tagger normalises it).
            'guard.upgrade-radar.io/verdict': field(fc.oneof(fc.constantFrom('denied', 'warned'), odd)),
            'guard.upgrade-radar.io/fields': field(fc.oneof(hostileString, odd)),
          },
          { requiredKeys: [] },
        ),
        fc.constant(null),
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('quickEvent against auditEventSchema', () => {
  it('accepts only what the schema accepts, with the same result', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 9, arbitrary: event }, { weight: 1, arbitrary: fc.anything() }),
        (ev) => {
          const q = quickEvent(ev);
          const z = auditEventSchema.safeParse(ev);
          if (q === undefined) return;
          accepted++;
          expect(z.success).toBe(true);
          expect(q).toEqual(z.data);
        },
      ),
      { numRuns: CASES },
    );
    expect(accepted).toBeGreaterThan(CASES / 10);
  });

  it('on parsed JSON, accepts exactly what the schema accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(event, (generated) => {
        const text = JSON.stringify(generated);
        const ev: unknown = JSON.parse(text);
        const q = quickEvent(ev);
        const z = auditEventSchema.safeParse(ev);
        expect(q !== undefined, text.slice(0, 300)).toBe(z.success);
        if (q === undefined) return;
        accepted++;
        expect(q).toStrictEqual(z.data);
      }),
      { numRuns: CASES },
    );
    expect(accepted).toBeGreaterThan(CASES / 10);
  });
});
