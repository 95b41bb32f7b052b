import { compareObjects, type Finding } from './compare.js';
import type { CompiledGuardPolicy, Mode } from './policy.js';
import type { AdmissionRequest } from './review.js';
import { type RuleSet, resourceKey } from './rules.js';
import { judgeUser, type Suspicion, type UserTable } from './users.js';

/** Low-cardinality outcome of one review: labels `radar_guard_reviews_total`. */
export type Outcome =
  | 'not-a-full-update'
  | 'subresource'
  | 'no-watched-fields'
  | 'no-change-to-watched-fields'
  | 'allow-listed'
  | 'undecided'
  | 'known-clients'
  | 'suspect';

export interface Suspect {
  finding: Finding;
  suspicion: Suspicion;
}

export interface Verdict {
  outcome: Outcome;
  allowed: boolean;
  mode?: Mode;
  findings: Finding[];
  suspects: Suspect[];
  warnings: string[];
  /** Set when denied: what happened and how to proceed. */
  message?: string;
  auditAnnotations: Record<string, string>;
}

export interface DecideDeps {
  rules: RuleSet;
  policy: CompiledGuardPolicy;
  /** Undefined when the table cannot be trusted (never loaded, or older than the staleness limit). */
  table: UserTable | undefined;
}

const allow = (outcome: Outcome, findings: Finding[] = []): Verdict => ({
  outcome,
  allowed: true,
  findings,
  suspects: [],
  warnings: [],
  auditAnnotations: {},
});

// Each warning stays short: the apiserver truncates long ones and kubectl prints each on a line.
const MAX_WARNINGS = 4;

/**
 * The guard's decision for one AdmissionRequest. Only full updates (PUT: operation UPDATE with
 * UpdateOptions, no subresource) are judged; PATCH and apply carry the client's intent.
 */
export function decide(req: AdmissionRequest, deps: DecideDeps): Verdict {
  if (req.operation !== 'UPDATE' || req.options?.kind !== 'UpdateOptions') return allow('not-a-full-update');
  if (req.subResource) return allow('subresource');
  const { group, version, resource } = req.resource;
  const rules = deps.rules.byResource.get(resourceKey(group, version, resource));
  if (!rules) return allow('no-watched-fields');
  const findings = compareObjects(rules, req.oldObject, req.object);
  if (findings.length === 0) return allow('no-change-to-watched-fields');
  const username = req.userInfo.username ?? '';
  const subject = {
    username,
    groups: req.userInfo.groups ?? [],
    namespace: req.namespace ?? '',
    group,
    resource,
  };
  if (deps.policy.allowed(subject) !== undefined) return allow('allow-listed', findings);
  if (!deps.table) {
    const v = allow('undecided', findings);
    v.auditAnnotations = { verdict: 'undecided', fields: fieldsText(findings) };
    return v;
  }
  const suspects: Suspect[] = [];
  for (const f of findings) {
    const s = judgeUser(deps.table, username, group, resource, f.rule.path, f.rule.sinceNumber);
    if (s) suspects.push({ finding: f, suspicion: s });
  }
  if (suspects.length === 0) return allow('known-clients', findings);
  const mode = deps.policy.modeFor(subject);
  const lines = suspects.map((s) => describe(s, username, resource));
  const annotations = {
    verdict: mode === 'deny' ? 'denied' : mode === 'warn' ? 'warned' : 'would-deny',
    fields: fieldsText(suspects.map((s) => s.finding)),
    clients: clientsText(suspects),
  };
  const verdict: Verdict = {
    outcome: 'suspect',
    allowed: mode !== 'deny',
    mode,
    findings,
    suspects,
    warnings: [],
    auditAnnotations: annotations,
  };
  if (mode === 'warn') {
    verdict.warnings = suspects.slice(0, MAX_WARNINGS).map((s) => warning(s, username));
    if (lines.length > MAX_WARNINGS) {
      verdict.warnings.push(`upgrade-radar guard: and ${lines.length - MAX_WARNINGS} more fields`);
    }
  }
  if (mode === 'deny') {
    verdict.message =
      `upgrade-radar guard refused this full update (PUT): ${lines.slice(0, MAX_WARNINGS).join('; ')}` +
      `${lines.length > MAX_WARNINGS ? `; and ${lines.length - MAX_WARNINGS} more fields` : ''}. ` +
      'To proceed: send a patch or server-side apply (kubectl apply/patch) instead of a full update, ' +
      'upgrade the client, or add an allow-list entry to the guard policy.';
  }
  return verdict;
}

// The apiserver may truncate warnings over 256 characters: the field, the client, what to do.
function warning(s: Suspect, username: string): string {
  const f = s.finding;
  const c = s.suspicion.clients[0];
  const who = c
    ? `${c.name || '(no user agent)'} ${c.version || '(no version)'} (Kubernetes ${c.minor ? `1.${c.minor}` : 'unknown'})`
    : `user ${username || '(none)'}, never seen updating ${f.rule.resource},`;
  const text = `upgrade-radar guard: this PUT ${f.kind === 'dropped' ? `drops ${f.at}` : `resets ${f.at} to its default ${f.after}`} (a Kubernetes ${f.rule.since} field); ${who} predates it: upgrade to a ${f.rule.since}+ client or use apply/patch`;
  return text.length > 256 ? `${text.slice(0, 253)}...` : text;
}

function describe(s: Suspect, username: string, resource: string): string {
  const f = s.finding;
  const what =
    f.kind === 'dropped'
      ? `drops ${f.at} (was ${JSON.stringify(f.before)})`
      : `resets ${f.at} from ${JSON.stringify(f.before)} to the default ${JSON.stringify(f.after)}`;
  const who =
    s.suspicion.reason === 'never-seen'
      ? `user ${username || '(none)'} has never been seen updating ${resource}, so its client's version is unknown`
      : `user ${username} updates ${resource} with ${clientList(s.suspicion.clients)}`;
  return `${what}, a field of Kubernetes ${f.rule.since}; ${who}: upgrade it to a client built against Kubernetes ${f.rule.since} or later`;
}

function clientList(clients: Suspicion['clients']): string {
  return clients
    .slice(0, 3)
    .map(
      (c) =>
        `${c.name || '(no user agent)'} ${c.version || '(no version)'} (Kubernetes ${c.minor ? `1.${c.minor}` : 'unknown'})`,
    )
    .join(', ');
}

function fieldsText(findings: readonly Finding[]): string {
  const s = [...new Set(findings.map((f) => `${f.kind}:${f.rule.path}`))].join(',');
  return s.length > 512 ? `${s.slice(0, 509)}...` : s;
}

function clientsText(suspects: readonly Suspect[]): string {
  const names = new Set<string>();
  for (const s of suspects) {
    if (s.suspicion.reason === 'never-seen') names.add('never-seen');
    for (const c of s.suspicion.clients) names.add(`${c.name} ${c.version} (1.${c.minor || '?'})`);
  }
  const s = [...names].join(',');
  return s.length > 512 ? `${s.slice(0, 509)}...` : s;
}
