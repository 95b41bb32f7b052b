/**
 * Several groups serve the same stored object (one etcd key): a Deployment written through
 * extensions/v1beta1 is the same object as one written through apps/v1. A field added to the
 * object in a release is lost by an old client's full update whichever of those versions it
 * PUTs through, so field and default changes are matched on the object, not on the URL's
 * group/version. Removal and deprecation stay on the exact group/version/resource called.
 */
const SAME_OBJECT: Record<string, readonly string[]> = {
  deployments: ['apps', 'extensions'],
  daemonsets: ['apps', 'extensions'],
  replicasets: ['apps', 'extensions'],
  statefulsets: ['apps'],
  ingresses: ['networking.k8s.io', 'extensions'],
  networkpolicies: ['networking.k8s.io', 'extensions'],
  podsecuritypolicies: ['policy', 'extensions'],
  events: ['', 'events.k8s.io'],
};

/** 'group/resource' with the group folded to the object's canonical group. */
export function objectKey(group: string, resource: string): string {
  const groups = SAME_OBJECT[resource];
  const canonical = groups?.includes(group) ? groups[0] : group;
  return `${canonical}/${resource}`;
}

/** Every 'group/resource' a client could send for the object: what the SQL filter needs. */
export function objectAliases(group: string, resource: string): string[] {
  const groups = SAME_OBJECT[resource];
  if (!groups?.includes(group)) return [`${group}/${resource}`];
  return groups.map((g) => `${g}/${resource}`);
}

export function gvrKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/** The catalog may spell the core group 'core' or ''; audit events say ''. */
export function normalizeGroup(group: string): string {
  return group === 'core' ? '' : group;
}
