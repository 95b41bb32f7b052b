/**
 * Who is asking: per user and resource, the clients that user has sent full updates with, their
 * Kubernetes minors and the watched fields each has been seen sending (field evidence). Built
 * from rows of queries/guard_learn.sql in the background; the request path only reads it.
 */
export interface LearnedRow {
  username: string;
  api_group: string;
  resource: string;
  client_name: string;
  client_version: string;
  /** 0 = unknown (v0.0.0 builds, no user agent). */
  client_kube_minor: number;
  /** Full updates (verb update, no subresource) in the window. */
  updates: number;
  /** Watched field paths this user's client sent in any write of the resource. */
  paths: string[];
}

export interface SeenClient {
  name: string;
  version: string;
  minor: number;
  updates: number;
  proven: ReadonlySet<string>;
}

export interface UserTable {
  /** username -> `group/resource` -> clients. */
  readonly users: ReadonlyMap<string, ReadonlyMap<string, readonly SeenClient[]>>;
  readonly rows: number;
}

export const groupResource = (group: string, resource: string) => `${group}/${resource}`;

export function buildUserTable(rows: readonly LearnedRow[]): UserTable {
  const users = new Map<string, Map<string, SeenClient[]>>();
  for (const r of rows) {
    let byRes = users.get(r.username);
    if (!byRes) {
      byRes = new Map();
      users.set(r.username, byRes);
    }
    const key = groupResource(r.api_group, r.resource);
    let list = byRes.get(key);
    if (!list) {
      list = [];
      byRes.set(key, list);
    }
    list.push({
      name: r.client_name,
      version: r.client_version,
      minor: Number(r.client_kube_minor) || 0,
      updates: Number(r.updates) || 0,
      proven: new Set(r.paths),
    });
  }
  return { users, rows: rows.length };
}

/** Why a user is suspect for one field: the clients that are old or unknown and not proven. */
export interface Suspicion {
  reason: 'never-seen' | 'old-client';
  clients: SeenClient[];
}

/**
 * A user passes when every client it has sent full updates of the resource with is built against
 * the field's minor or later, or has been seen sending the field. Writes without updates still
 * lend their evidence (a client that patches a field knows it). Never seen: suspect.
 */
export function judgeUser(
  table: UserTable,
  username: string,
  group: string,
  resource: string,
  path: string,
  since: number,
): Suspicion | undefined {
  const all = table.users.get(username)?.get(groupResource(group, resource)) ?? [];
  const updaters = all.filter((c) => c.updates > 0);
  if (updaters.length === 0) return { reason: 'never-seen', clients: [] };
  const proven = (c: SeenClient) =>
    all.some((o) => o.name === c.name && o.version === c.version && o.proven.has(path));
  const old = updaters.filter((c) => c.minor < since && !proven(c));
  return old.length ? { reason: 'old-client', clients: old } : undefined;
}
