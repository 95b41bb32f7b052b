import fc from 'fast-check';
import { type RequestBase, requestBase, STAGES } from './arbitraries.js';

/** One generated message and how many events it holds for processBatch's accounting. */
export interface Message {
  value: Buffer;
  /** Audit events in it (an EventList holds several); 0 for an empty message. */
  events: number;
  /** Whether it is exactly one JSON event object (so its fate is known by message index). */
  single: boolean;
  /** The auditID it was generated with (single events). */
  auditID?: unknown;
}

/** fast-check prints counterexamples: a message as its first bytes, not a Buffer's numbers. */
function message(value: Buffer, events: number, single: boolean, auditID?: unknown): Message {
  const m: Message = { value, events, single, ...(auditID === undefined ? {} : { auditID }) };
  Object.defineProperty(m, fc.toStringMethod, {
    value: () => `msg(${value.length} B: ${JSON.stringify(value.toString('utf8', 0, 200))})`,
  });
  return m;
}

/** A stage of a request: the shared fields plus the stage's own. */
function eventOf(b: RequestBase, stage: string, stageTime: unknown): Record<string, unknown> {
  const ev: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: b.v1beta1 ? 'audit.k8s.io/v1beta1' : 'audit.k8s.io/v1',
    level: b.bodyKeys.length > 0 || b.depth > 0 ? 'Request' : 'Metadata',
    auditID: b.auditID,
    stage,
    requestURI: b.requestURI,
    verb: b.verb,
    user: { username: b.username, groups: b.groups },
    sourceIPs: [b.ip],
    objectRef: {
      resource: b.resource,
      namespace: b.namespace,
      name: b.name,
      apiGroup: b.apiGroup,
      apiVersion: 'v1',
    },
    stageTimestamp: stageTime,
  };
  if (b.v1beta1) ev.timestamp = b.time;
  else {
    ev.requestReceivedTimestamp = b.time;
    if (b.userAgent !== undefined) ev.userAgent = b.userAgent;
  }
  if (stage !== 'RequestReceived') ev.responseStatus = { code: b.code };
  if (b.removed !== undefined)
    ev.annotations = { 'k8s.io/deprecated': 'true', 'k8s.io/removed-release': b.removed };
  // The apiserver records a webhook's annotations on the stages after admission.
  if (b.guard !== undefined && stage !== 'RequestReceived') {
    ev.annotations = {
      ...(ev.annotations as object | undefined),
      'guard.upgrade-radar.io/verdict': b.guard.verdict,
      'guard.upgrade-radar.io/fields': b.guard.fields,
    };
  }
  if (b.bodyKeys.length > 0) ev.requestObject = Object.fromEntries(b.bodyKeys.map((k, i) => [k, { v: i }]));
  if (b.depth > 0) ev.requestObject = '__DEEP__';
  if (b.pad > 0) ev.padding = 'p'.repeat(b.pad);
  if (b.wrong) ev[b.wrong[0]] = b.wrong[1];
  return ev;
}

const DEEP = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

function text(ev: Record<string, unknown>, depth: number): string {
  const s = JSON.stringify(ev);
  return depth > 0 ? s.replace('"__DEEP__"', DEEP(depth)) : s;
}

/** A request logged at 1–4 stages (in any order, sometimes a stage twice), each its own message. */
const request = fc
  .tuple(
    requestBase,
    fc.array(fc.constantFrom(...STAGES), { minLength: 1, maxLength: 4 }),
    fc.array(
      fc.oneof(
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      {
        minLength: 4,
        maxLength: 4,
      },
    ),
  )
  .map(([b, stages, times]) =>
    stages.map((stage, i): Message => {
      const ev = eventOf(b, stage, times[i]);
      return message(Buffer.from(text(ev, b.depth)), 1, true, b.auditID);
    }),
  );

/** Bytes that are not one good event: broken JSON, bad escapes, bad UTF-8, lists, nothing. */
const oddMessage: fc.Arbitrary<Message> = fc.oneof(
  request.map((ms) => {
    const m = ms[0]!;
    return message(m.value.subarray(0, Math.floor(m.value.length / 2)), 1, true);
  }),
  fc
    .constantFrom(
      '{"auditID":"\\x","verb":"get","stage":"ResponseComplete"}',
      '{"auditID":"a\\uD800","verb":"get","stage":"ResponseComplete","requestReceivedTimestamp":"2026-11-20T10:00:00Z"}',
      '{"auditID":"a\\udc00\\ud800","verb":"get","stage":"ResponseComplete","requestReceivedTimestamp":"2026-11-20T10:00:00Z"}',
      '{"auditID":"a\\u12","verb":"get"}',
      '[1,2,3]',
      'null',
      '"just a string"',
      '{}',
      '\ufeff{"auditID":"bom","verb":"get","stage":"ResponseComplete","requestReceivedTimestamp":"2026-11-20T10:00:00Z"}',
    )
    .map((s) => message(Buffer.from(s), 1, true)),
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((b) =>
      message(Buffer.concat([Buffer.from('{"auditID":"'), Buffer.from(b), Buffer.from('"}')]), 1, true),
    ),
  fc.constant(0).map(() => message(Buffer.alloc(0), 0, false)),
  fc.array(request, { minLength: 1, maxLength: 5 }).map((reqs): Message => {
    const items = reqs.flat().map((m) => m.value.toString('utf8'));
    const value = Buffer.from(
      `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${items.join(',')}]}`,
    );
    return message(value, items.length, false);
  }),
);

/** One batch: requests' stages shuffled together, with odd messages among them. */
export const batch = fc
  .tuple(
    fc.array(request, { minLength: 40, maxLength: 150, size: 'max' }),
    fc.array(oddMessage, { maxLength: 12 }),
  )
  .chain(([reqs, odd]) => {
    const all = [...reqs.flat(), ...odd];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });
