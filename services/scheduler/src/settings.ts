import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSinks, parseClusterMinor, type Sink } from '@radar/alerts';
import { parseMinor } from '@radar/catalog';
import type { RadarConfig } from '@radar/config';
import { type CompiledPolicy, compilePolicy, loadPolicy, type Policy } from '@radar/ranking';
import { parseSchedule, type Repeat } from './schedule.js';

/** The configuration cannot run; the message names every bad variable. */
export class SchedulerConfigError extends Error {
  override readonly name = 'SchedulerConfigError';
}

/** Everything the jobs need, validated once at start (a bad file or version fails the start, not a job). */
export interface Settings {
  /** null: rank snapshots and weekly reports are not scheduled (no upgrade configured). */
  upgrade: { current: string; target: string; cluster?: string | undefined } | null;
  /** null: alert checks are not scheduled (no cluster version configured). */
  alerts: { clusterVersion: string; cluster?: string | undefined } | null;
  sinks: Sink[];
  policy: Policy | undefined;
  /** The same policy, compiled for alert checks (allowlist, overrides, owners). */
  clientPolicy: CompiledPolicy | undefined;
  reportDir: string;
  /** How far back rank snapshots and weekly reports read. */
  rankWindowMs: number;
  /** Alert check timings (CheckOptions of @radar/alerts). */
  alertTimings: {
    lookbackMs: number;
    suppressWindowMs: number;
    graceMs: number;
    maxEventAgeMs: number;
    redeliverMaxAgeMs: number;
  };
  repeat: { rankSnapshots: Repeat; weeklyReport: Repeat; alertChecks: Repeat };
}

export function resolveSettings(cfg: RadarConfig): Settings {
  const problems: string[] = [];
  const attempt = <T>(what: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      problems.push(`${what}: ${(err as Error).message}`);
      return undefined;
    }
  };

  let upgrade: Settings['upgrade'] = null;
  const { UPGRADE_CURRENT_VERSION: cur, UPGRADE_TARGET_VERSION: tgt } = cfg;
  if ((cur === undefined) !== (tgt === undefined)) {
    problems.push('UPGRADE_CURRENT_VERSION and UPGRADE_TARGET_VERSION: set both, or neither');
  } else if (cur !== undefined && tgt !== undefined) {
    const current = attempt('UPGRADE_CURRENT_VERSION', () => parseMinor(cur));
    const target = attempt('UPGRADE_TARGET_VERSION', () => parseMinor(tgt));
    if (current && target) {
      if (minor(target) <= minor(current)) {
        problems.push(
          `UPGRADE_TARGET_VERSION: ${target} must be newer than UPGRADE_CURRENT_VERSION ${current}`,
        );
      } else upgrade = { current, target, cluster: cfg.UPGRADE_CLUSTER };
    }
  }

  let alerts: Settings['alerts'] = null;
  if (cfg.ALERT_CLUSTER_VERSION !== undefined) {
    const v = cfg.ALERT_CLUSTER_VERSION;
    const m = attempt('ALERT_CLUSTER_VERSION', () => parseClusterMinor(v));
    if (m !== undefined) alerts = { clusterVersion: `1.${m}`, cluster: cfg.ALERT_CLUSTER };
  }

  const sinks =
    (cfg.ALERT_SINKS_FILE
      ? attempt('ALERT_SINKS_FILE', () => loadSinks(readText(cfg.ALERT_SINKS_FILE!), cfg.ALERT_SINKS_FILE))
      : attempt('ALERT_SINKS', () => loadSinks(cfg.ALERT_SINKS, 'ALERT_SINKS'))) ?? [];
  const policy = cfg.RANK_POLICY_FILE
    ? attempt('RANK_POLICY_FILE', () => loadPolicy(cfg.RANK_POLICY_FILE!))
    : undefined;

  const tz = cfg.SCHEDULER_TZ;
  const rankSnapshots = attempt('SCHEDULE_RANK_SNAPSHOT', () =>
    parseSchedule(cfg.SCHEDULE_RANK_SNAPSHOT, tz, 'SCHEDULE_RANK_SNAPSHOT'),
  );
  const weeklyReport = attempt('SCHEDULE_WEEKLY_REPORT', () =>
    parseSchedule(cfg.SCHEDULE_WEEKLY_REPORT, tz, 'SCHEDULE_WEEKLY_REPORT'),
  );
  const alertChecks = attempt('SCHEDULE_ALERT_CHECK', () =>
    parseSchedule(cfg.SCHEDULE_ALERT_CHECK, tz, 'SCHEDULE_ALERT_CHECK'),
  );

  if (problems.length > 0 || !rankSnapshots || !weeklyReport || !alertChecks) {
    throw new SchedulerConfigError(
      `cannot start the scheduler:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  return {
    upgrade,
    alerts,
    sinks,
    policy,
    clientPolicy: policy ? compilePolicy(policy) : undefined,
    reportDir: cfg.REPORT_OUT_DIR ?? join(cfg.RADAR_DATA_DIR, 'reports'),
    rankWindowMs: cfg.RANK_WINDOW_MS,
    alertTimings: {
      lookbackMs: cfg.ALERT_LOOKBACK_MS,
      suppressWindowMs: cfg.ALERT_SUPPRESS_WINDOW_MS,
      graceMs: cfg.ALERT_INGEST_GRACE_MS,
      maxEventAgeMs: cfg.ALERT_MAX_EVENT_AGE_MS,
      redeliverMaxAgeMs: cfg.ALERT_REDELIVER_MAX_AGE_MS,
    },
    repeat: { rankSnapshots, weeklyReport, alertChecks },
  };
}

function minor(v: string): number {
  return Number(v.slice(v.indexOf('.') + 1));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
