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

/** Stage order: a later stage of the same request supersedes an earlier one. */
export const STAGE_RANK: Readonly<Record<string, number>> = {
  RequestReceived: 0,
  ResponseStarted: 1,
  ResponseComplete: 2,
  Panic: 3,
};

const str = z.string().max(8192);
const userInfo = z.object({
  username: str.optional(),
  groups: z.array(str).max(1000).optional(),
});

/**
 * audit.k8s.io/v1 and v1beta1 Event: only the fields upgrade-radar reads. Unknown fields are
 * ignored, so newer apiservers (1.35 authenticationMetadata, ...) pass; `kind`/`apiVersion` may be
 * missing (some collectors strip them). v1beta1 (before 1.12) has `timestamp` and no `userAgent`.
 */
export const auditEventSchema = z.object({
  apiVersion: z.enum(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1']).optional(),
  level: z.enum(['None', 'Metadata', 'Request', 'RequestResponse']).optional(),
  auditID: z.string().min(1).max(256),
  stage: z.string().max(64),
  requestURI: z.string().max(65536).default(''),
  verb: z.string().min(1).max(64),
  user: userInfo.default({}),
  impersonatedUser: userInfo.nullish(),
  sourceIPs: z.array(str).max(64).optional(),
  userAgent: z.string().max(4096).optional(),
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
  responseStatus: z.object({ code: z.number().int().min(0).max(999).optional() }).nullish(),
  requestObject: z.unknown().optional(),
  requestReceivedTimestamp: z.string().max(64).optional(),
  stageTimestamp: z.string().max(64).optional(),
  timestamp: z.string().max(64).optional(),
  annotations: z.record(z.string(), z.string().max(65536)).nullish(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;
