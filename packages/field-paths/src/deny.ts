/**
 * Resources whose request bodies must not travel further than the process that received them
 * (Secrets always). Entries are kubectl-style: `secrets` (any group), `sealedsecrets.bitnami.com`
 * (one group), `*.vault.example.com` (every resource of a group).
 */
export interface DenyList {
  matches(group: string, resource: string): boolean;
  readonly entries: readonly string[];
}

export class DenyListError extends Error {
  override readonly name = 'DenyListError';
}

const ENTRY = /^(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9.-]*[a-z0-9])?)?$/;

/** Always denied, whatever the configuration says. */
export const ALWAYS_DENIED = ['secrets'];

export function parseDenyList(entries: readonly string[]): DenyList {
  const all = [...new Set([...ALWAYS_DENIED, ...entries.map((e) => e.trim().toLowerCase()).filter(Boolean)])];
  const anyGroup = new Set<string>();
  const exact = new Set<string>();
  const wholeGroup = new Set<string>();
  for (const e of all) {
    if (!ENTRY.test(e)) {
      throw new DenyListError(
        `body deny list entry "${e}": expected <resource>, <resource>.<group> or *.<group>, e.g. sealedsecrets.bitnami.com`,
      );
    }
    const dot = e.indexOf('.');
    if (dot < 0) {
      if (e === '*') throw new DenyListError('body deny list entry "*": name a resource or a group');
      anyGroup.add(e);
    } else if (e.startsWith('*.')) wholeGroup.add(e.slice(2));
    else exact.add(e);
  }
  return {
    entries: all,
    matches: (group, resource) =>
      anyGroup.has(resource) || exact.has(`${resource}.${group}`) || (group !== '' && wholeGroup.has(group)),
  };
}
