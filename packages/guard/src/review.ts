import { z } from 'zod';

/** Why an AdmissionReview could not be read: low-cardinality, labels a metric. */
export type BadReviewReason = 'too-large' | 'not-json' | 'wrong-api-version' | 'not-a-review' | 'malformed';

const gvk = z.looseObject({ group: z.string(), version: z.string(), kind: z.string() });
const gvr = z.looseObject({ group: z.string(), version: z.string(), resource: z.string() });

const requestSchema = z.looseObject({
  uid: z.string().min(1).max(256),
  kind: gvk,
  resource: gvr,
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.string(),
  userInfo: z.looseObject({
    username: z.string().optional(),
    groups: z.array(z.string()).optional(),
  }),
  object: z.unknown().optional(),
  oldObject: z.unknown().optional(),
  dryRun: z.boolean().optional(),
  options: z.looseObject({ kind: z.string().optional() }).nullish(),
});
export type AdmissionRequest = z.infer<typeof requestSchema>;

export type ReadReview =
  | { kind: 'ok'; request: AdmissionRequest }
  | { kind: 'bad'; reason: BadReviewReason; uid: string; detail: string };

const bad = (reason: BadReviewReason, uid: string, detail: string): ReadReview => ({
  kind: 'bad',
  reason,
  uid,
  detail,
});

// The apiserver writes request.uid first; found in the head of a body we cannot parse, it lets the
// answer still name the request (a response with another uid is an error to the apiserver).
const UID_IN_HEAD = /"request"\s*:\s*\{\s*"uid"\s*:\s*"([0-9A-Za-z-]{1,128})"/;

/** The uid of a request whose body could not be read whole, from its first bytes, or ''. */
export function uidFromHead(head: string): string {
  return UID_IN_HEAD.exec(head.slice(0, 4096))?.[1] ?? '';
}

/** An admission.k8s.io/v1 AdmissionReview body -> its request, or why not (never throws). */
export function readReview(body: string): ReadReview {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return bad('not-json', uidFromHead(body), (err as Error).message);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return bad('not-a-review', '', 'the body is not a JSON object');
  }
  const d = doc as Record<string, unknown>;
  const req = d.request as Record<string, unknown> | undefined;
  const uid = typeof req?.uid === 'string' && req.uid.length <= 256 ? req.uid : '';
  if (d.kind !== 'AdmissionReview') return bad('not-a-review', uid, `kind is ${JSON.stringify(d.kind)}`);
  if (d.apiVersion !== 'admission.k8s.io/v1') {
    return bad(
      'wrong-api-version',
      uid,
      `apiVersion ${JSON.stringify(d.apiVersion)}: admission.k8s.io/v1 only`,
    );
  }
  const res = requestSchema.safeParse(req);
  if (!res.success) {
    const i = res.error.issues[0]!;
    return bad('malformed', uid, `request.${i.path.join('.')}: ${i.message}`);
  }
  return { kind: 'ok', request: res.data };
}
