import { readFileSync } from 'node:fs';
import { InputError } from '@radar/errors';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { globMatcher } from './glob.js';

export const MODES = ['audit', 'warn', 'deny'] as const;
export type Mode = (typeof MODES)[number];

const glob = z.string().min(1, 'must not be empty');
const mode = z.enum(MODES);
/** `group/resource` as in `radar catalog resources`: `apps/deployments`, `core/services`. */
const resource = glob.regex(
  /^[^/]*\/[^/]+$/,
  "must be 'group/resource', e.g. apps/deployments or core/services",
);

const allowEntry = z
  .strictObject({
    user: glob.optional(),
    group: glob.optional(),
    namespace: glob.optional(),
    resource: resource.optional(),
    reason: z.string().optional(),
  })
  .refine((e) => e.user ?? e.group ?? e.namespace ?? e.resource, 'needs user, group, namespace or resource');

export const guardPolicySchema = z.strictObject({
  /** Global mode; the most specific entry wins: namespace, then resource, then this. */
  mode: mode.default('audit'),
  resources: z.array(z.strictObject({ resource, mode })).default([]),
  namespaces: z.array(z.strictObject({ namespace: glob, mode })).default([]),
  /** An entry matches when all of its fields match. */
  allow: z.array(allowEntry).default([]),
});
export type GuardPolicy = z.infer<typeof guardPolicySchema>;

export class GuardPolicyError extends InputError {
  override readonly name = 'GuardPolicyError';
}

export function parseGuardPolicy(doc: unknown, file: string): GuardPolicy {
  const res = guardPolicySchema.safeParse(doc ?? {});
  if (res.success) return res.data;
  const issues = res.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new GuardPolicyError(`${file}: ${issues.join('; ')}`, { where: file });
}

/** Reads a YAML or JSON guard policy, validated; errors name the file and the field. */
export function loadGuardPolicy(path: string): GuardPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GuardPolicyError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new GuardPolicyError(`${path}: not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseGuardPolicy(doc, path);
}

export interface Subject {
  username: string;
  groups: readonly string[];
  namespace: string;
  group: string;
  resource: string;
}

export interface CompiledGuardPolicy {
  modeFor(s: Subject): Mode;
  /** The reason (or 'allow-listed') of the first allow entry matching, else undefined. */
  allowed(s: Subject): string | undefined;
}

const grName = (group: string, resource: string) => `${group || 'core'}/${resource}`;

export function compileGuardPolicy(p: GuardPolicy, globalMode?: Mode): CompiledGuardPolicy {
  const byNs = p.namespaces.map((e) => ({ match: globMatcher([e.namespace]), mode: e.mode }));
  const byRes = p.resources.map((e) => ({ match: globMatcher([e.resource]), mode: e.mode }));
  const allow = p.allow.map((e) => {
    const m = (g: string | undefined) => (g === undefined ? () => true : globMatcher([g]));
    const user = m(e.user);
    const group = m(e.group);
    const ns = m(e.namespace);
    const res = m(e.resource);
    return {
      reason: e.reason ?? 'allow-listed',
      test: (s: Subject) =>
        user(s.username) &&
        (e.group === undefined || s.groups.some(group)) &&
        ns(s.namespace) &&
        res(grName(s.group, s.resource)),
    };
  });
  const global = globalMode ?? p.mode;
  return {
    modeFor: (s) =>
      byNs.find((e) => e.match(s.namespace))?.mode ??
      byRes.find((e) => e.match(grName(s.group, s.resource)))?.mode ??
      global,
    allowed: (s) => allow.find((e) => e.test(s))?.reason,
  };
}

export const EMPTY_GUARD_POLICY: GuardPolicy = { mode: 'audit', resources: [], namespaces: [], allow: [] };
