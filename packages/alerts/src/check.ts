import type { Change } from '@radar/catalog';
import { alertCandidates, type Store } from '@radar/store';
import { deliver } from './deliver.js';
import { buildDropAlerts, dropCandidates } from './drops.js';
import { buildGuardAlerts, guardCandidates } from './guard.js';
import { type Allowlisted, applyPolicy, buildAlerts, candidateParams, ruleSet } from './rules.js';
import type { Sink } from './sinks/formats.js';
import type { FetchLike } from './sinks/http.js';
import {
  pendingDeliveries,
  readWatermark,
  recentKeys,
  recordAlerts,
  recordDeliveries,
  writeWatermark,
} from './state.js';
import { type SuppressedFinding, suppress } from './suppress.js';
import type { Alert, ClientPolicy, DeliveryOutcome } from './types.js';
import { parseClusterMinor } from './version.js';

export const ALERT_DEFAULTS = {
  /** First check of a scope (no watermark yet) looks this far back. */
  lookbackMs: 3600_000,
  /** The same (cluster, client, resource, change) is not alerted again within this window. */
  suppressWindowMs: 3600_000,
  /** Rows stored in the last graceMs are left for the next check: an insert may still be landing. */
  graceMs: 10_000,
  /** Events whose own ts is older than this are not alerted on (backfills); rank/report cover them. */
  maxEventAgeMs: 24 * 3600_000,
  /** Undelivered alerts are retried by later checks for this long. */
  redeliverMaxAgeMs: 24 * 3600_000,
};

export interface CheckOptions {
  /** The version the cluster runs now, e.g. 1.30, v1.30 or 1.30.4. */
  clusterVersion: string;
  /** One cluster (its name in audit_events.cluster); unset: every cluster, scope '*'. */
  cluster?: string | undefined;
  lookbackMs?: number;
  suppressWindowMs?: number;
  graceMs?: number;
  maxEventAgeMs?: number;
  redeliverMaxAgeMs?: number;
  sinks?: readonly Sink[];
  /** Allowlist, version overrides and owners (e.g. compilePolicy(loadPolicy(file)) from @radar/ranking). */
  policy?: ClientPolicy | undefined;
  /** Compute only: write no state, deliver nothing. */
  dryRun?: boolean;
  now?: Date;
  fetch?: FetchLike;
}

export interface CheckResult {
  scope: string;
  clusterVersion: string;
  window: { from: string; to: string; firstCheck: boolean };
  /** Alerts raised by this check (already recorded, delivery outcomes below). */
  alerts: Alert[];
  /** Findings already alerted within the suppression window. */
  suppressed: SuppressedFinding[];
  /** Traffic the policy's allowlist exempts. */
  allowlisted: Allowlisted[];
  /** Every delivery tried by this check: its own alerts and earlier undelivered ones. */
  delivered: DeliveryOutcome[];
}

/**
 * One post-upgrade alert check: read what was stored since the scope's watermark, raise alerts for
 * new findings, record them (outbox) and advance the watermark, then deliver everything that has
 * no delivery outcome yet. Safe to run twice: the second run finds its findings suppressed and
 * nothing left to deliver.
 */
export async function checkAlerts(
  store: Store,
  catalog: readonly Change[],
  opts: CheckOptions,
): Promise<CheckResult> {
  const o = { ...ALERT_DEFAULTS, ...definedOnly(opts) };
  const minor = parseClusterMinor(opts.clusterVersion);
  const clusterVersion = `1.${minor}`;
  const now = opts.now ?? new Date();
  const scope = opts.cluster ?? '*';
  const sinks = opts.sinks ?? [];
  const watermark = await readWatermark(store, scope);
  const to = new Date(now.getTime() - o.graceMs);
  const from = watermark ?? new Date(to.getTime() - o.lookbackMs);
  const result: CheckResult = {
    scope,
    clusterVersion,
    window: { from: from.toISOString(), to: to.toISOString(), firstCheck: watermark === null },
    alerts: [],
    suppressed: [],
    allowlisted: [],
    delivered: [],
  };
  if (to > from) {
    const rules = ruleSet(catalog, minor);
    const rows = await alertCandidates.run(store, {
      from,
      to,
      min_ts: new Date(to.getTime() - o.maxEventAgeMs),
      cluster: opts.cluster,
      // A version override may make a client older than its user agent says: no pre-filter then.
      max_client_minor: opts.policy ? 65_535 : minor,
      ...candidateParams(rules),
      guard: 0,
    });
    const screened = applyPolicy(rows, opts.policy);
    result.allowlisted = screened.allowlisted;
    const ctx = {
      policy: opts.policy,
      clusterVersion,
      windowId: `${scope}|${from.toISOString()}|${to.toISOString()}`,
    };
    // Drops seen in request bodies first: observed loss outranks every version-based guess.
    const dropRows = await dropCandidates(store, rules, {
      from,
      to,
      minTs: new Date(to.getTime() - o.maxEventAgeMs),
      cluster: opts.cluster,
    });
    // The guard's own denials and warnings: what it did, not a guess about what a client may do.
    const guardRows = await guardCandidates(store, {
      from,
      to,
      minTs: new Date(to.getTime() - o.maxEventAgeMs),
      cluster: opts.cluster,
    });
    const built = [
      ...buildDropAlerts(dropRows, rules, ctx),
      ...buildGuardAlerts(guardRows, rules, ctx),
      ...buildAlerts(screened.rows, rules, ctx),
    ];
    const seen = await recentKeys(
      store,
      built.flatMap((a) => a.changes.map((c) => c.key)),
      new Date(now.getTime() - o.suppressWindowMs),
    );
    const split = suppress(built, seen);
    result.alerts = split.fresh;
    result.suppressed = split.suppressed;
    if (!opts.dryRun) {
      // Order matters: alerts are durable before the watermark moves past their events.
      await recordAlerts(
        store,
        scope,
        split.fresh,
        sinks.map((s) => s.name),
        now,
      );
      await writeWatermark(store, scope, to, clusterVersion);
    }
  }
  if (!opts.dryRun)
    result.delivered = await deliverPending(store, sinks, now, o.redeliverMaxAgeMs, opts.fetch);
  return result;
}

/** Delivers every outbox entry still owed to a configured sink and records the outcomes. */
export async function deliverPending(
  store: Store,
  sinks: readonly Sink[],
  now: Date,
  maxAgeMs: number = ALERT_DEFAULTS.redeliverMaxAgeMs,
  fetchImpl?: FetchLike,
): Promise<DeliveryOutcome[]> {
  const pending = await pendingDeliveries(
    store,
    sinks.map((s) => s.name),
    new Date(now.getTime() - maxAgeMs),
  );
  if (pending.length === 0) return [];
  const work = new Map<string, Alert[]>();
  for (const p of pending) {
    const list = work.get(p.sink) ?? [];
    list.push(p.alert);
    work.set(p.sink, list);
  }
  // Each sink's outcomes are recorded as soon as that sink is decided: a process that dies while
  // a slow sink still times out does not send the fast sinks' alerts again.
  const perSink = await Promise.all(
    sinks
      .filter((s) => work.has(s.name))
      .map(async (sink) => {
        const outcomes = await deliver(work, [sink], now, fetchImpl);
        await recordDeliveries(store, outcomes, new Date());
        return outcomes;
      }),
  );
  return perSink.flat();
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
