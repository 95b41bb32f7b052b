import { type AuditEvent, GUARD_FIELDS_KEY, GUARD_VERDICT_KEY } from './event.js';

/**
 * auditEventSchema's check written out by hand, for the hot path: zod's safeParse was ~2 us of
 * the decode thread's ~15 us per event (pnpm bench:hotpath). It returns what safeParse's data
 * would be (known keys only, defaults filled) when the input is one the schema surely accepts,
 * and undefined otherwise: the caller then asks zod, which decides and words the error. So it
 * only has to be sound, never complete; test/property/quick-event.test.ts checks it against zod.
 */
export function quickEvent(raw: unknown): AuditEvent | undefined {
  if (!isPlain(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const { auditID, stage, verb, apiVersion, level } = o;
  if (typeof auditID !== 'string' || auditID.length < 1 || auditID.length > 256) return undefined;
  if (typeof stage !== 'string' || typeof verb !== 'string' || verb.length < 1 || verb.length > 64)
    return undefined;
  if (apiVersion !== undefined && apiVersion !== 'audit.k8s.io/v1' && apiVersion !== 'audit.k8s.io/v1beta1')
    return undefined;
  if (
    level !== undefined &&
    level !== 'Metadata' &&
    level !== 'Request' &&
    level !== 'RequestResponse' &&
    level !== 'None'
  )
    return undefined;
  // The schema's default applies to a missing value only: null is refused.
  const requestURI = o.requestURI === undefined ? '' : o.requestURI;
  if (typeof requestURI !== 'string') return undefined;
  const user = o.user === undefined ? {} : userOf(o.user);
  if (user === undefined) return undefined;
  const ev: AuditEvent = { auditID, stage, requestURI, verb, user };
  if (apiVersion !== undefined) ev.apiVersion = apiVersion;
  if (level !== undefined) ev.level = level;
  const imp = o.impersonatedUser;
  if (imp !== undefined) {
    const u = imp === null ? null : userOf(imp);
    if (u === undefined) return undefined;
    ev.impersonatedUser = u;
  }
  if (o.sourceIPs !== undefined) {
    if (!isStrings(o.sourceIPs)) return undefined;
    ev.sourceIPs = o.sourceIPs;
  }
  const strs = [o.userAgent, o.requestReceivedTimestamp, o.stageTimestamp, o.timestamp];
  for (const s of strs) if (s !== undefined && typeof s !== 'string') return undefined;
  if (strs[0] !== undefined) ev.userAgent = strs[0] as string;
  if (strs[1] !== undefined) ev.requestReceivedTimestamp = strs[1] as string;
  if (strs[2] !== undefined) ev.stageTimestamp = strs[2] as string;
  if (strs[3] !== undefined) ev.timestamp = strs[3] as string;
  const ref = o.objectRef;
  if (ref !== undefined) {
    const r = ref === null ? null : objectRefOf(ref);
    if (r === undefined) return undefined;
    ev.objectRef = r;
  }
  const status = o.responseStatus;
  if (status !== undefined) {
    if (status === null) ev.responseStatus = null;
    else {
      if (!isPlain(status)) return undefined;
      const code = (status as { code?: unknown }).code;
      if (code === undefined) ev.responseStatus = {};
      else if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 65535)
        ev.responseStatus = { code };
      else return undefined;
    }
  }
  if ('requestObject' in o) ev.requestObject = o.requestObject;
  const ann = o.annotations;
  if (ann !== undefined) {
    if (ann === null) ev.annotations = null;
    else {
      if (!isPlain(ann)) return undefined;
      const a = ann as Record<string, unknown>;
      const dep = a['k8s.io/deprecated'];
      const rem = a['k8s.io/removed-release'];
      if ((dep !== undefined && typeof dep !== 'string') || (rem !== undefined && typeof rem !== 'string'))
        return undefined;
      const out: NonNullable<AuditEvent['annotations']> = {};
      if (dep !== undefined) out['k8s.io/deprecated'] = dep;
      if (rem !== undefined) out['k8s.io/removed-release'] = rem;
      // The guard's keys take any JSON value (the tagger normalises them): kept as they are.
      if (a[GUARD_VERDICT_KEY] !== undefined) out[GUARD_VERDICT_KEY] = a[GUARD_VERDICT_KEY];
      if (a[GUARD_FIELDS_KEY] !== undefined) out[GUARD_FIELDS_KEY] = a[GUARD_FIELDS_KEY];
      ev.annotations = out;
    }
  }
  return ev;
}

/** An object JSON.parse makes: not null, not an array, Object.prototype or none. */
function isPlain(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function isStrings(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

function userOf(v: unknown): AuditEvent['user'] | undefined {
  if (!isPlain(v)) return undefined;
  const { username, groups } = v as Record<string, unknown>;
  if (username !== undefined && typeof username !== 'string') return undefined;
  if (groups !== undefined && !isStrings(groups)) return undefined;
  const u: AuditEvent['user'] = {};
  if (username !== undefined) u.username = username;
  if (groups !== undefined) u.groups = groups;
  return u;
}

const REF_KEYS = ['resource', 'namespace', 'name', 'apiGroup', 'apiVersion', 'subresource'] as const;

function objectRefOf(v: unknown): NonNullable<AuditEvent['objectRef']> | undefined {
  if (!isPlain(v)) return undefined;
  const o = v as Record<string, unknown>;
  const out: NonNullable<AuditEvent['objectRef']> = {};
  for (const k of REF_KEYS) {
    const s = o[k];
    if (s === undefined) continue;
    if (typeof s !== 'string') return undefined;
    out[k] = s;
  }
  return out;
}
