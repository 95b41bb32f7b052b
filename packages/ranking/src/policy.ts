import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PolicyError } from './errors.js';
import { globMatcher } from './glob.js';
import { kubeMinorOfOverride } from './versions.js';

const glob = z.string().min(1, 'must not be empty');
const globs = z.array(glob);

const allowEntry = z
  .strictObject({ userAgent: glob.optional(), user: glob.optional(), reason: z.string().optional() })
  .refine((e) => e.userAgent !== undefined || e.user !== undefined, 'needs userAgent or user');

const overrideEntry = z.strictObject({
  /** Exact client name as tagged (the user agent's program name). */
  client: z.string().min(1, 'must not be empty'),
  clientVersion: glob.optional(),
  user: glob.optional(),
  kubeVersion: z
    .string()
    .refine((v) => kubeMinorOfOverride(v) !== undefined, 'must be like 1.28, v1.28.3 or client-go v0.28.3'),
});

const ownerEntry = z
  .strictObject({
    team: z.string().min(1, 'must not be empty'),
    namespaces: globs.optional(),
    /** 'namespace/name' of the service account. */
    serviceAccounts: globs.optional(),
    users: globs.optional(),
  })
  .refine((e) => e.namespaces ?? e.serviceAccounts ?? e.users, 'needs namespaces, serviceAccounts or users');

export const policySchema = z.strictObject({
  allow: z.array(allowEntry).default([]),
  overrides: z.array(overrideEntry).default([]),
  owners: z.array(ownerEntry).default([]),
});

export type Policy = z.infer<typeof policySchema>;

export const EMPTY_POLICY: Policy = { allow: [], overrides: [], owners: [] };

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

/** Validates a parsed policy document; `file` only names it in errors. */
export function parsePolicy(doc: unknown, file: string): Policy {
  const res = policySchema.safeParse(doc ?? {});
  if (res.success) return res.data;
  const first = res.error.issues[0]!;
  const rest = res.error.issues.slice(1).map((i) => `; ${fieldPath(i.path) || '(top)'}: ${i.message}`);
  throw new PolicyError(file, fieldPath(first.path), `${first.message}${rest.join('')}`);
}

/** Reads a YAML or JSON policy file (JSON is YAML), validated. */
export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyError(path, '', `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new PolicyError(path, '', `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  return parsePolicy(doc, path);
}

/** What the ranking asks of a policy, per rollup row. */
export interface CompiledPolicy {
  /** The allowlist entry's reason (or 'allowlisted') when the traffic is exempt. */
  allowed(userAgents: readonly string[], user: string): string | undefined;
  /** The overridden Kubernetes minor for a client, if an override applies. */
  kubeMinor(client: string, clientVersion: string, user: string): number | undefined;
  owners(namespaces: readonly string[], user: string): string[];
  /** Names of clients with a version override (their reported version is not trusted). */
  readonly overrideClients: readonly string[];
}

const SA_PREFIX = 'system:serviceaccount:';

export function compilePolicy(p: Policy): CompiledPolicy {
  const allow = p.allow.map((e) => ({
    ua: e.userAgent ? globMatcher([e.userAgent]) : undefined,
    user: e.user ? globMatcher([e.user]) : undefined,
    reason: e.reason ?? 'allowlisted',
  }));
  // More specific overrides first: with a user, then with a client version, then name only.
  const overrides = p.overrides
    .map((o) => ({
      client: o.client,
      version: o.clientVersion ? globMatcher([o.clientVersion]) : undefined,
      user: o.user ? globMatcher([o.user]) : undefined,
      minor: kubeMinorOfOverride(o.kubeVersion)!,
      weight: (o.user ? 2 : 0) + (o.clientVersion ? 1 : 0),
    }))
    .sort((a, b) => b.weight - a.weight);
  const owners = p.owners.map((o) => ({
    team: o.team,
    ns: globMatcher(o.namespaces ?? []),
    sa: globMatcher(o.serviceAccounts ?? []),
    user: globMatcher(o.users ?? []),
  }));
  return {
    overrideClients: [...new Set(overrides.map((o) => o.client))].sort(),
    allowed(userAgents, user) {
      for (const e of allow) {
        // Every sampled user agent must match, so a mixed row is never hidden by one sample.
        if (e.ua && (userAgents.length === 0 || !userAgents.every((ua) => e.ua!(ua)))) continue;
        if (e.user && !e.user(user)) continue;
        return e.reason;
      }
      return undefined;
    },
    kubeMinor(client, clientVersion, user) {
      for (const o of overrides) {
        if (o.client !== client) continue;
        if (o.version && !o.version(clientVersion)) continue;
        if (o.user && !o.user(user)) continue;
        return o.minor;
      }
      return undefined;
    },
    owners(namespaces, user) {
      // A service account's own namespace counts too: the team running the client owns it.
      const sa = user.startsWith(SA_PREFIX) ? user.slice(SA_PREFIX.length).replace(':', '/') : undefined;
      const allNs = sa ? [...namespaces, sa.split('/')[0]!] : namespaces;
      const teams = new Set<string>();
      for (const o of owners) {
        if (allNs.some((n) => n !== '' && o.ns(n)) || (sa && o.sa(sa)) || o.user(user)) teams.add(o.team);
      }
      return [...teams].sort();
    },
  };
}
