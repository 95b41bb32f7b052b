import type { FixtureSet, LifecycleFact } from './kube-api.js';
import { FIRST_MINOR, LAST_MINOR, minorNumber } from './minor.js';
import type { Change } from './model.js';
import { gvkKey } from './resources.js';
import type { ReleaseSpec } from './spec-set.js';

/** A kind's group/version-level story from the documents, the fixtures and the lifecycle tag. */
export interface KindLifecycle {
  group: string;
  version: string;
  kind: string;
  resource: string;
  added?: { since: number; source: string };
  removed?: { since: number; source: string };
  deprecated?: { since: number; source: string };
  /** A tagged removal after the last minor the catalog covers (1.37+): planned, not done. */
  plannedRemoval?: number;
  /** The tag's replacement, as group/version/Kind. */
  replacement?: string;
}

const tagSource = (f: LifecycleFact) => `kube-api lifecycle ${f.tag}`;
const list = (ns: number[]) => ns.map((n) => `v1.${n}`).join(', ');

/**
 * Added, deprecated and removed minors of every kind the documents serve (and kinds only the
 * fixtures hold, whose resource another version names). Full documents say whether a minor serves
 * a kind; a partial dump only that it does; a fixture that lacks a kind's type proves the kind gone
 * (a type that is there proves nothing: upstream keeps types of removed versions). The tag gives
 * introduced/deprecated/removed. A tagged removal earlier than the documents stop listing the kind
 * wins (the 1.16/1.17 documents list apps/v1beta1, unserved since 1.16); a tagged removal later
 * than the documents stop serving it is a plan the documents overrule.
 */
export function kindLifecycles(
  specs: ReleaseSpec[],
  fixtures: FixtureSet[],
  facts: LifecycleFact[],
): KindLifecycle[] {
  const resources = new Map<string, string>();
  const byGroupKind = new Map<string, string>();
  for (const s of specs) {
    for (const [key, k] of s.snapshot.kinds) {
      resources.set(key, k.resource);
      byGroupKind.set(`${k.group}/${k.kind}`, k.resource);
    }
  }
  for (const f of fixtures) {
    for (const key of f.types.keys()) {
      const [group = '', , kind = ''] = key.split('/');
      const plural = byGroupKind.get(`${group}/${kind}`);
      if (!resources.has(key) && plural) resources.set(key, plural);
    }
  }
  const factOf = new Map(facts.map((f) => [gvkKey(f), f]));
  const fixtureMinors = fixtures.map((f) => minorNumber(f.minor));
  const out: KindLifecycle[] = [];
  for (const [key, resource] of [...resources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [group = '', version = '', kind = ''] = key.split('/');
    const fact = factOf.get(key);
    const fxYes = fixtures.filter((f) => f.types.has(key)).map((f) => minorNumber(f.minor));
    // An early document (holding changes up to maxMinor) serves a kind at its own minor only if
    // that minor's fixtures have the type (networking/v1beta1 IPAddress is in v1.30.json, a 1.31 kind).
    const docYes = specs
      .filter((s) => s.snapshot.kinds.has(key))
      .map((s) => minorNumber(!fxYes.length || fxYes.includes(minorNumber(s.minor)) ? s.minor : s.maxMinor));
    const docNo = specs
      .filter((s) => !s.partial && !s.snapshot.kinds.has(key))
      .map((s) => minorNumber(s.minor));
    const fxNo = fixtureMinors.filter((m) => !fxYes.includes(m));
    const life: KindLifecycle = { group, version, kind, resource };
    if (fact?.replacement) life.replacement = fact.replacement;

    const introduced = fact?.introduced ? minorNumber(fact.introduced) : undefined;
    const exists = (m: number) =>
      !docNo.includes(m) &&
      (docYes.includes(m) || fxYes.includes(m) || (introduced !== undefined && m >= introduced));
    // A full document without the kind after every earlier sign of it overrules them (the tag says
    // networking/v1alpha1 ServiceCIDR came with 1.27, the v1.28 document does not serve it).
    const firstDoc = Math.min(...docYes);
    const lastNo = Math.max(...docNo.filter((m) => m < firstDoc));
    const firstSeen = [...new Set([...docYes, ...fxYes, ...(introduced !== undefined ? [introduced] : [])])]
      .filter((m) => exists(m) && m > lastNo)
      .sort((a, b) => a - b)[0];
    if (firstSeen !== undefined && firstSeen > FIRST_MINOR && firstSeen <= LAST_MINOR) {
      const why: string[] = [];
      const before = docNo.filter((m) => m < firstSeen);
      const docs = [
        ...(before.length ? [`v1.${Math.max(...before)} lacks it`] : []),
        ...(docYes.includes(firstSeen) ? [`v1.${firstSeen} has it`] : []),
      ];
      if (docs.length) why.push(`openapi ${docs.join(', ')}`);
      if (fxYes.includes(firstSeen)) why.push(`kube-api fixtures from v1.${firstSeen}`);
      if (introduced === firstSeen && fact) why.push(`${tagSource(fact)}: introduced ${fact.introduced}`);
      life.added = { since: firstSeen, source: why.join('; ') };
    }

    // A kind only fixtures hold (resource.k8s.io/v1alpha1 of 1.26) was last there in its last fixture.
    const lastServed = Math.max(...(docYes.length ? docYes : fxYes));
    const docGone = docNo.filter((m) => m > lastServed).sort((a, b) => a - b)[0];
    // Only a kind that had fixtures can lose them (apiextensions and apiregistration never had any).
    const fxGone = fxYes.length ? fxNo.filter((m) => m > lastServed).sort((a, b) => a - b)[0] : undefined;
    const tagged = fact?.removed ? minorNumber(fact.removed) : undefined;
    const docsWhy = () => {
      const gone = [docGone, fxGone].filter((m): m is number => m !== undefined);
      const first = Math.min(...gone);
      const docs = docYes.length ? [`v1.${lastServed} has it`] : [];
      if (docGone === first) docs.push(`v1.${docGone} lacks it`);
      if (first - lastServed > 1) docs.push(`no document of v1.${lastServed + 1}..v1.${first - 1}`);
      const parts = docs.length ? [`openapi ${docs.join(', ')}`] : [];
      if (fxGone === first)
        parts.push(`kube-api fixtures v1.${Math.max(...fxYes)} have it, none from v1.${fxGone}`);
      return { since: first, source: parts.join('; ') };
    };
    // A fixture without the type proves the kind gone as surely as a document without it.
    const goneBy = Math.min(docGone ?? Infinity, fxGone ?? Infinity);
    if (tagged !== undefined && tagged <= LAST_MINOR && !(goneBy < tagged)) {
      const listed = docYes.filter((m) => m >= tagged);
      const note = listed.length ? ` (openapi ${list(listed)} still list it)` : '';
      life.removed = { since: tagged, source: `${tagSource(fact!)}: removed ${fact!.removed}${note}` };
    } else if (docGone !== undefined || fxGone !== undefined) {
      const r = docsWhy();
      if (tagged !== undefined) r.source += `; ${tagSource(fact!)} planned ${fact!.removed}`;
      life.removed = r;
    } else if (tagged !== undefined && tagged > LAST_MINOR) {
      life.plannedRemoval = tagged;
    }
    if (fact?.deprecated && minorNumber(fact.deprecated) <= LAST_MINOR) {
      life.deprecated = {
        since: minorNumber(fact.deprecated),
        source: `${tagSource(fact)}: deprecated ${fact.deprecated}`,
      };
    }
    out.push(life);
  }
  return out;
}

/** The gvk-level records of the lifecycles (replacements are attached later, with the curated ones). */
export function lifecycleRecords(lives: KindLifecycle[]): Change[] {
  const out: Change[] = [];
  for (const l of lives) {
    const base = { group: l.group, version: l.version, kind: l.kind, resource: l.resource };
    if (l.added)
      out.push({ change: 'gvk-added', ...base, since: `1.${l.added.since}`, source: l.added.source });
    if (l.removed)
      out.push({ change: 'gvk-removed', ...base, since: `1.${l.removed.since}`, source: l.removed.source });
    if (l.deprecated) {
      const c: Change = {
        change: 'gvk-deprecated',
        ...base,
        since: `1.${l.deprecated.since}`,
        source: l.deprecated.source,
      };
      if (l.plannedRemoval !== undefined) c.details = { plannedRemovalIn: `1.${l.plannedRemoval}` };
      out.push(c);
    }
  }
  return out;
}
