import { existsSync, readFileSync } from 'node:fs';
import {
  type Alert,
  AlertInputError,
  type CheckResult,
  checkAlerts,
  listAlerts,
  loadSinks,
  parseClusterMinor,
  type Sink,
  SinkConfigError,
} from '@radar/alerts';
import { builtinChanges, userChanges } from '@radar/catalog';
import { type RadarConfig, storeConfigOf } from '@radar/config';
import { compilePolicy, loadPolicy, PolicyError, parseWindow, RankInputError } from '@radar/ranking';
import type { Command } from 'commander';
import { cliConfig, printJson, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../format.js';
import { formatOption } from '../options.js';
import { derivedLine, resolveCurrent } from './upgrade-args.js';

interface CheckArgs {
  clusterVersion?: string;
  cluster?: string;
  since?: string;
  suppressWindow?: string;
  sinks?: string;
  policy?: string;
  dryRun?: boolean;
  format: string;
  dataDir?: string;
}

export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('post-upgrade alerts: old clients still sending risky updates');

  alerts
    .command('check')
    .description('check traffic stored since the last check, record and deliver new alerts')
    .option(
      '--cluster-version <version>',
      'version the cluster runs now, e.g. 1.30 (default ALERT_CLUSTER_VERSION)',
    )
    .option('--cluster <name>', 'only this cluster (default ALERT_CLUSTER, else all)')
    .option(
      '--since <duration>',
      'look-back of the first check, when none ran before: 90m, 24h, 7d (default 1h)',
    )
    .option('--suppress-window <duration>', 'do not repeat an alert within this window (default 1h)')
    .option('--sinks <file>', 'JSON array of sinks (default ALERT_SINKS_FILE / ALERT_SINKS)')
    .option(
      '--policy <file>',
      'allowlist / version overrides / owners, as for rank (default RANK_POLICY_FILE)',
    )
    .option('--dry-run', 'show what would be alerted; record and deliver nothing')
    .addOption(formatOption(['table', 'json'], 'table'))
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (a: CheckArgs) => {
      // Everything the user can get wrong is checked before the store is opened.
      const cfg = cliConfig();
      const givenVersion = a.clusterVersion ?? cfg.ALERT_CLUSTER_VERSION;
      if (givenVersion !== undefined) usage('--cluster-version', () => parseClusterMinor(givenVersion));
      const lookbackMs = a.since ? usage('--since', () => parseWindow(a.since!)) : cfg.ALERT_LOOKBACK_MS;
      const suppressWindowMs = a.suppressWindow
        ? usage('--suppress-window', () => parseWindow(a.suppressWindow!))
        : cfg.ALERT_SUPPRESS_WINDOW_MS;
      const sinks = cliSinks(a.sinks, cfg);
      const policyFile = a.policy ?? cfg.RANK_POLICY_FILE;
      const policy = policyFile ? usage('--policy', () => compilePolicy(loadPolicy(policyFile))) : undefined;
      // Derived from stored traffic: where there is no store yet, none is created to find none.
      const { url, dataDir } = storeConfigOf(cfg, a.dataDir);
      if (givenVersion === undefined && !url && !existsSync(dataDir))
        throw new UsageError(
          `--cluster-version not given and not derivable: no control-plane traffic stored (no data directory ${dataDir}); pass --cluster-version or set ALERT_CLUSTER_VERSION`,
        );
      await withStore(a, async (store) => {
        const cluster = a.cluster ?? cfg.ALERT_CLUSTER;
        // Not given: the control plane's version from the cluster's own traffic of the last week.
        const derived = await resolveCurrent(store, '--cluster-version', givenVersion, cluster, {
          from: new Date(Date.now() - 7 * 86_400_000),
          to: new Date(),
        });
        const clusterVersion = derived.current;
        const res = await checkAlerts(store, [...builtinChanges(), ...(await userChanges(store))], {
          clusterVersion,
          cluster,
          lookbackMs,
          suppressWindowMs,
          graceMs: cfg.ALERT_INGEST_GRACE_MS,
          maxEventAgeMs: cfg.ALERT_MAX_EVENT_AGE_MS,
          redeliverMaxAgeMs: cfg.ALERT_REDELIVER_MAX_AGE_MS,
          sinks,
          policy,
          dryRun: a.dryRun === true,
        });
        if (a.format === 'json') printJson({ ...res, derived });
        else process.stdout.write(`${derivedLine(derived)}${renderCheck(res)}`);
      });
    });

  alerts
    .command('list')
    .description('alerts raised recently, with the latest delivery outcome per sink')
    .option('--since <duration>', 'how far back: 90m, 24h, 7d', '24h')
    .option('--cluster <name>', 'only this cluster')
    .addOption(formatOption(['table', 'json'], 'table'))
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (a: { since: string; cluster?: string; format: string; dataDir?: string }) => {
      const sinceMs = usage('--since', () => parseWindow(a.since));
      await withStore(a, async (store) => {
        const rows = await listAlerts(store, { since: new Date(Date.now() - sinceMs), cluster: a.cluster });
        const out = rows.map((r) => ({
          ...r,
          deliveries: r.deliveries.map(([sink, outcome, attempts, error]) => ({
            sink,
            outcome,
            attempts: Number(attempts),
            error,
          })),
        }));
        if (a.format === 'json') return printJson(out);
        process.stdout.write(
          renderTable(
            out.map((r) => ({
              created: r.created_at,
              severity: r.severity,
              cluster: r.cluster,
              client: `${r.client_name} ${r.client_version}`,
              resource: `${r.api_group || 'core'}/${r.resource}`,
              requests: r.requests,
              deliveries:
                r.deliveries.map((d) => `${d.sink}:${d.outcome}`).join(' ') ||
                (r.sinks.length ? 'pending' : '-'),
            })),
          ),
        );
      });
    });
}

/** Sinks from --sinks FILE, else from the environment; a bad file is a usage error naming it. */
function cliSinks(file: string | undefined, cfg: RadarConfig): Sink[] {
  const path = file ?? cfg.ALERT_SINKS_FILE;
  return usage(file ? '--sinks' : path ? 'ALERT_SINKS_FILE' : 'ALERT_SINKS', () => {
    if (!path) return loadSinks(cfg.ALERT_SINKS, 'ALERT_SINKS');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new SinkConfigError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return loadSinks(text, path);
  });
}

/** Runs a check of user input; its known mistakes become usage errors naming the option. */
function usage<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (
      err instanceof AlertInputError ||
      err instanceof SinkConfigError ||
      err instanceof RankInputError ||
      err instanceof PolicyError
    ) {
      throw new UsageError(`${what}: ${err.message}`);
    }
    throw err;
  }
}

/** The first three changes and a count: a resource can gain dozens of fields between minors. */
function briefChanges(a: Alert): string {
  if (a.guard)
    return `guard ${a.guard.verdict}: ${a.guard.fields.slice(0, 3).join(', ') || 'fields not named'}`;
  const shown = a.changes
    .slice(0, 3)
    .map((c) => `${c.change} ${c.path ?? `${c.group || 'core'}/${c.version}`} (${c.since})`);
  const more = a.changes.length > 3 ? ` (+${a.changes.length - 3} more, see --format json)` : '';
  return shown.join('; ') + more;
}

function renderCheck(r: CheckResult): string {
  const lines = [
    `Alert check of ${r.scope === '*' ? 'all clusters' : `cluster ${r.scope}`} at v${r.clusterVersion}, events stored ${r.window.from} .. ${r.window.to}${r.window.firstCheck ? ' (first check)' : ''}`,
    `${r.alerts.length} new alerts, ${r.suppressed.length} suppressed (already alerted), ${r.allowlisted.length} allowlisted, ${r.delivered.length} deliveries`,
    '',
  ];
  if (r.alerts.length > 0) {
    lines.push(
      renderTable(
        r.alerts.map((a) => ({
          severity: a.severity,
          cluster: a.cluster,
          client: `${a.client.name || '(no user agent)'} ${a.client.version}`,
          resource: `${a.group || 'core'}/${a.resource}`,
          requests: a.requests,
          owners: a.owners.join(',') || '-',
          changes: briefChanges(a),
        })),
      ),
    );
  }
  if (r.delivered.length > 0) {
    lines.push(
      renderTable(
        r.delivered.map((d) => ({
          sink: d.sink,
          alert: d.alertId,
          outcome: d.outcome,
          attempts: d.attempts,
          error: d.error || '-',
        })),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
