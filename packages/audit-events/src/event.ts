import { z } from 'zod';

/** Verbs the apiserver writes: resource verbs, and lower-case HTTP methods for non-resource URLs. */
export const KNOWN_VERBS = new Set([
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'proxy',
  'connect',
  'post',
  'put',
  'head',
  'options',
]);

/**
 * Audit annotation keys of upgrade-radar's admission guard: the apiserver records a webhook's
 * auditAnnotations as `<webhook name>/<key>`, the webhook being `guard.upgrade-radar.io`
 * (packages/guard/src/webhook-config.ts, WEBHOOK_NAME).
 */
export const GUARD_ANNOTATION_PREFIX = 'guard.upgrade-radar.io/';
export const GUARD_VERDICT_KEY = `${GUARD_ANNOTATION_PREFIX}verdict` as const;
export const GUARD_FIELDS_KEY = `${GUARD_ANNOTATION_PREFIX}fields` as const;

/** Stage order: a later stage of the same request supersedes an earlier one. */
export const STAGE_RANK: Readonly<Record<string, number>> = {
  RequestReceived: 0,
  ResponseStarted: 1,
  ResponseComplete: 2,
  Panic: 3,
};

// Lengths are bounded by the message size limit (decode), so strings carry no max() here:
// each check costs on a path that runs tens of thousands of times a second (measured 3.6 -> 1.3
// us per event with the slim schema below).
const str = z.string();
const userInfo = z.object({
  username: str.optional(),
  groups: z.array(str).optional(),
});

/**
 * audit.k8s.io/v1 and v1beta1 Event: only the fields upgrade-radar reads. Unknown fields are
 * ignored, so newer apiservers (1.35 authenticationMetadata, ...) pass; `kind`/`apiVersion` may be
 * missing (some collectors strip them). v1beta1 (before 1.12) has `timestamp` and no `userAgent`.
 * Of the annotations only the deprecation pair and the admission guard's verdict are read.
 */
export const auditEventSchema = z.object({
  apiVersion: z.enum(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1']).optional(),
  level: z.enum(['None', 'Metadata', 'Request', 'RequestResponse']).optional(),
  auditID: z.string().min(1).max(256),
  stage: str,
  requestURI: str.default(''),
  verb: z.string().min(1).max(64),
  user: userInfo.default({}),
  impersonatedUser: userInfo.nullish(),
  sourceIPs: z.array(str).optional(),
  userAgent: str.optional(),
  objectRef: z
    .object({
      resource: str.optional(),
      namespace: str.optional(),
      name: str.optional(),
      apiGroup: str.optional(),
      apiVersion: str.optional(),
      subresource: str.optional(),
    })
    .nullish(),
  // status_code is UInt16: a code outside it would make the engine refuse the whole insert.
  responseStatus: z.object({ code: z.number().int().min(0).max(65535).optional() }).nullish(),
  requestObject: z.unknown().optional(),
  requestReceivedTimestamp: str.optional(),
  stageTimestamp: str.optional(),
  timestamp: str.optional(),
  annotations: z
    .object({
      'k8s.io/deprecated': str.optional(),
      'k8s.io/removed-release': str.optional(),
      // Written by a webhook, not the apiserver: any JSON value is taken and normalised by the
      // tagger (a number or object there must never refuse the event).
      [GUARD_VERDICT_KEY]: z.unknown().optional(),
      [GUARD_FIELDS_KEY]: z.unknown().optional(),
    })
    .nullish(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;
