/**
 * The catalog's change record, mirrored structurally from @radar/catalog's contract so ranking
 * (and its tests) depend only on the shape, never on how the catalog is built.
 */
export type ChangeKind =
  | 'gvk-removed'
  | 'gvk-deprecated'
  | 'gvk-added'
  | 'field-added'
  | 'field-removed'
  | 'default-changed'
  | 'storage-version-changed';

export interface Change {
  change: ChangeKind;
  group: string;
  version: string;
  kind: string;
  resource: string;
  path?: string | undefined;
  /** Kubernetes minor that introduced the change, e.g. '1.18'. */
  since: string;
  details?: unknown;
  source: string;
}

/** Ordered from most to least severe; a client's severity is that of its worst finding. */
export const SEVERITIES = ['critical', 'high', 'needs-verification', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  change: ChangeKind;
  severity: Severity;
  /** What the client called (group '' = core). */
  group: string;
  version: string;
  resource: string;
  path?: string;
  since: string;
  verb: string;
  count: number;
  sampleAuditIds: string[];
  owners: string[];
  /**
   * Field changes only, from request bodies (docs/field-evidence.md): full updates by this client
   * in the window that carried the field, that left it out, and that left it out where an earlier
   * write had set it (the field was wiped). All 0 when no update was logged with its body.
   */
  set?: number;
  omitted?: number;
  dropped?: number;
  /** 'namespace/name' of objects the client wiped the field on (at most 10). */
  droppedObjects?: string[];
  /** Update findings the admission guard judged: its verdicts on updates that named this field. */
  guard?: GuardCounts;
}

/**
 * The admission guard's verdicts (`radar guard`, recorded in audit annotations; docs/guard.md):
 * updates it refused (denied), let through with a warning (warned), would have refused in audit
 * mode (wouldDeny), could not judge (undecided), and verdicts this radar does not know (other).
 */
export interface GuardCounts {
  denied: number;
  warned: number;
  wouldDeny: number;
  undecided: number;
  other: number;
}

/** The guard's verdicts on one client, version and group/version/resource over the window. */
export interface GuardEntry extends GuardCounts {
  client: string;
  clientVersion: string | null;
  kubeVersion: string | null;
  /** Whether the ranking lists this client for the upgrade. */
  ranked: boolean;
  group: string;
  version: string;
  resource: string;
  /** Distinct objects (a lower bound over users and verdicts). */
  objects: number;
  /** `dropped:<path>` / `reset:<path>` as the guard named them (at most 10). */
  fields: string[];
  users: string[];
  sampleAuditIds: string[];
  lastSeen: string;
}

export interface RankedClient {
  rank: number;
  client: string;
  clientVersion: string | null;
  /** Kubernetes minor the client was built against ('1.17'), after overrides; null if unknown. */
  kubeVersion: string | null;
  kubeVersionOverridden: boolean;
  severity: Severity;
  score: number;
  /** Risky requests (each counted once even when it matches several changes). */
  requests: number;
  /** Of those, full-object updates (PUT). */
  updates: number;
  /** Distinct objects touched by risky requests, summed over resources and verbs. */
  objects: number;
  lastSeen: string;
  users: string[];
  namespaces: string[];
  owners: string[];
  findings: Finding[];
  /**
   * The Kubernetes schema the client's requests prove it knows, from the fields it sent (its
   * lowest bound over its users); null when its requests prove nothing. Where the user agent
   * tells no version, changes up to `min` are not reported.
   */
  inferredVersion?: { min: string; basis: string[] } | null;
  /** The admission guard's verdicts on this client's updates in the window; absent if it judged none. */
  guard?: GuardCounts;
}

export interface RankWindow {
  from: string;
  to: string;
}

export interface RankResult {
  current: string;
  target: string;
  cluster: string | null;
  window: RankWindow;
  clients: RankedClient[];
  /** Every client the admission guard judged in the window, ranked or not, most denied first. */
  guard: GuardEntry[];
}
