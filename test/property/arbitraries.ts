import { KNOWN_VERBS } from '@radar/audit-events';
import fc from 'fast-check';

/**
 * Hostile audit input for the property suite: events with strings, numbers, times, nesting and
 * sizes that JavaScript accepts and a store may not, wrong types, and requests whose stages share
 * an audit ID. A generated *message* is what one Kafka message, file line or POST item carries.
 */

const HOSTILE_CHARS = [
  '\ud800', // lone high surrogate
  '\udbff',
  '\udc00', // lone low surrogate
  '\udfff',
  '\u0000',
  '\u0001',
  '\u001b', // ESC
  '\u0007', // BEL
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e', // RTL override
  '\u200f',
  '\ufeff',
  '\ufffd',
  '😀',
  '👨‍👩‍👧',
  'ß',
  'ﷺ',
  '"',
  '\\',
  '\\u',
  '\\ud800', // the text of an escape, not a surrogate
  '\n',
  '\t',
  '\r',
  "'",
  '`',
  '{',
  ']',
  '/',
  '?',
  '%00',
  ' ',
];

const hostileChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_CHARS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'z', '0', '9', '-', '.', ':') },
);

/** Short text of hostile characters; now and then a huge one. */
export const hostileString = fc.oneof(
  { weight: 150, arbitrary: fc.string({ unit: hostileChar, maxLength: 24 }) },
  { weight: 30, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  {
    // Huge: rare per string, as there are a dozen strings per event.
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.string({ unit: hostileChar, minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 10_000 }),
      )
      .map(([s, n]) => s.repeat(n)),
  },
);

/** Every form Date.parse accepts that we could think of, storable or not, and odd ones. */
const anyDate = fc.date({ noInvalidDate: true });
const storableDate = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('2149-06-06T23:59:59.999Z'),
  noInvalidDate: true,
});
const nearDate = fc.date({
  min: new Date('2026-11-18T00:00:00Z'),
  max: new Date('2026-11-21T23:59:59.999Z'),
  noInvalidDate: true,
});
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant spelled as RFC 3339 with another offset, separator or sub-millisecond digits. */
export const spellings = (d: Date) =>
  fc
    .tuple(
      fc.integer({ min: -14 * 60, max: 14 * 60 }),
      fc.boolean(),
      fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }),
      fc.boolean(),
    )
    .map(([offMin, zulu, extra, t]) => {
      const off = zulu ? 0 : offMin;
      // The same instant read at another offset: local = UTC + offset.
      const local = new Date(d.getTime() + off * 60_000).toISOString();
      const ms = local.slice(20, 23);
      const frac = ms === '000' && extra === '' ? '' : `.${ms}${extra}`;
      const a = Math.abs(off);
      const zone = zulu ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
      return `${local.slice(0, 10)}${t ? 'T' : ' '}${local.slice(11, 19)}${frac}${zone}`;
    });

export const hostileTime: fc.Arbitrary<unknown> = fc.oneof(
  // Mostly within a few days (each day is a partition, and a part per insert), some anywhere.
  { weight: 50, arbitrary: nearDate.chain(spellings) },
  { weight: 10, arbitrary: storableDate.chain(spellings) },
  { weight: 2, arbitrary: anyDate.map((d) => d.toISOString()) },
  { weight: 1, arbitrary: anyDate.map((d) => d.toString()) },
  { weight: 1, arbitrary: anyDate.map((d) => d.toUTCString()) },
  { weight: 1, arbitrary: anyDate.map((d) => String(d.getTime())) },
  {
    weight: 1,
    arbitrary: anyDate.map((d) => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0',
      '+275760-09-13T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00Z',
      '2149-06-06T23:59:59.999Z',
      '2149-06-07T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20T10:00:00',
      '2026-11-20 10:00:00.5',
      '2026-11-20',
      '2026',
      'nope',
      '',
      ' 2026-11-20T10:00:00Z',
      '2026-11-20T10:00:00.123Z\n',
    ),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant({})) },
);

export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: 100, max: 599 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0, -1, 65535, 65536, 2 ** 53, 1e300, -1e300, 1.5, 1e-300) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constant(null), fc.boolean()) },
);

// Every verb the apiserver writes (the validator's own list), so generated events keep up with it.
const VERBS = [...KNOWN_VERBS];
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
const AGENTS = [
  'kubectl/v1.24.4 (linux/amd64) kubernetes/95ee5ab',
  'Helm/3.14.2',
  'manager/v0.0.0 (linux/amd64) kubernetes/$Format',
];

/** A string field: mostly plausible, often hostile. */
const text = (plain: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 2, arbitrary: plain }, { weight: 1, arbitrary: hostileString });

/** Wrong types where a string, object or array belongs. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({ x: 1 }),
);

/** One request: the fields all its stages share (audit ID, time, who, what). */
export const requestBase = fc.record({
  auditID: fc.oneof(
    { weight: 6, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.string({ unit: hostileChar, minLength: 1, maxLength: 256 }) },
    // Collectors that anonymise IDs reuse them on unrelated requests.
    { weight: 2, arbitrary: fc.constantFrom('dup-0', 'dup-1', '\ud800', 'x'.repeat(256)) },
  ),
  time: hostileTime,
  verb: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...VERBS) },
    { weight: 1, arbitrary: hostileString },
  ),
  requestURI: text(
    fc.constantFrom('/api/v1/namespaces/default/pods/p', '/apis/apps/v1/deployments', '/healthz'),
  ),
  userAgent: fc.option(text(fc.constantFrom(...AGENTS)), { nil: undefined }),
  username: text(fc.constantFrom('alice', 'system:serviceaccount:kube-system:x')),
  groups: fc.array(text(fc.constant('system:authenticated')), { maxLength: 3 }),
  namespace: text(fc.constantFrom('default', 'kube-system')),
  name: text(fc.constantFrom('web', 'db-0')),
  resource: text(fc.constantFrom('pods', 'deployments', 'ingresses')),
  apiGroup: text(fc.constantFrom('', 'apps', 'networking.k8s.io')),
  code: hostileNumber,
  ip: text(fc.ipV4()),
  removed: fc.option(text(fc.constant('1.22')), { nil: undefined }),
  /** The admission guard's annotations as anyone may write them: any JSON value, any size. */
  guard: fc.option(
    fc.record({
      verdict: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('denied', 'warned', 'would-deny', 'undecided') },
        { weight: 2, arbitrary: hostileString },
        { weight: 1, arbitrary: wrongType },
      ),
      fields: fc.oneof(
        { weight: 3, arbitrary: fc.array(hostileString, { maxLength: 40 }).map((xs) => xs.join(',')) },
        { weight: 1, arbitrary: wrongType },
      ),
    }),
    { nil: undefined, freq: 4 },
  ),
  /** Field names of a write body (paths are taken from keys, never values). */
  bodyKeys: fc.array(hostileString, { maxLength: 4 }),
  depth: fc.oneof(
    { weight: 9, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }) },
  ),
  v1beta1: fc.integer({ min: 0, max: 12 }).map((n) => n === 0),
  /** One field given a wrong type, now and then. */
  wrong: fc.oneof(
    { weight: 30, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom(
          'auditID',
          'verb',
          'stage',
          'user',
          'objectRef',
          'requestURI',
          'userAgent',
          'sourceIPs',
        ),
        wrongType,
      ),
    },
  ),
  pad: fc.oneof(
    { weight: 30, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 400_000 }) },
  ),
});
export type RequestBase = typeof requestBase extends fc.Arbitrary<infer T> ? T : never;
