import { builtinChanges, CatalogInputError, parseMinor, userChanges } from '@radar/catalog';
import {
  type Change,
  clientsMarkdown,
  guardLabel,
  guardSection,
  loadPolicy,
  type Policy,
  PolicyError,
  RankInputError,
  type RankResult,
  rank,
  resolveWindow,
  sectionMarkdown,
} from '@radar/ranking';
import type { Store } from '@radar/store';
import type { Command } from 'commander';
import { printJson, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../format.js';
import { parseInstant } from '../instant.js';
import { formatOption } from '../options.js';
import { derivedLine, resolveCurrent } from './upgrade-args.js';

/** Options shared by `rank` and `report`. */
export interface UpgradeArgs {
  current?: string;
  target: string;
  since: string;
  from?: string;
  to?: string;
  cluster?: string;
  policy?: string;
  dataDir?: string;
}

export function addUpgradeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--current <version>',
      "Kubernetes version the cluster runs now, e.g. 1.24 (default: its control plane's, from its traffic)",
    )
    .requiredOption('--target <version>', 'Kubernetes version to upgrade to, e.g. 1.25')
    .option(
      '--since <duration>',
      'window of audit traffic ending at --to (default now): 90m, 24h, 7d, 2w',
      '7d',
    )
    .option('--from <time>', 'window start, ISO 8601 (2026-03-01 or 2026-03-01T12:00:00Z); overrides --since')
    .option('--to <time>', 'window end, ISO 8601 (default now)')
    .option('--cluster <name>', 'only this cluster (default: all)')
    .option('--policy <file>', 'YAML/JSON policy: allowlist, version overrides, owners (docs/ranking.md)')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory');
}

/** Checks what can be checked before the store opens: versions against the catalog, the policy file. */
export function checkUpgradeArgs(a: UpgradeArgs): {
  current: string | undefined;
  target: string;
  policy: Policy | undefined;
  window: { since: string; from?: Date; to?: Date };
} {
  const window = {
    since: a.since,
    ...(a.from !== undefined ? { from: parseInstant('--from', a.from) } : {}),
    ...(a.to !== undefined ? { to: parseInstant('--to', a.to) } : {}),
  };
  try {
    const current = a.current === undefined ? undefined : parseMinor(a.current);
    const target = parseMinor(a.target);
    return { current, target, policy: a.policy ? loadPolicy(a.policy) : undefined, window };
  } catch (err) {
    throw asUsage(err);
  }
}

/** The window's bounds as rank computes them (its messages), for what is derived from traffic. */
export function windowBounds(window: { since: string; from?: Date; to?: Date }): { from: Date; to: Date } {
  try {
    return resolveWindow(window);
  } catch (err) {
    throw asUsage(err);
  }
}

/** Mistakes in the request become usage errors (exit 2); anything else stays a failure. */
export function asUsage(err: unknown): unknown {
  if (err instanceof CatalogInputError) return new UsageError(`--current/--target: ${err.message}`);
  if (err instanceof RankInputError || err instanceof PolicyError) return new UsageError(err.message);
  return err;
}

/** The built-in catalog plus CRD catalogs users imported into the store. */
export async function fullCatalog(store: Store): Promise<Change[]> {
  return [...builtinChanges(), ...(await userChanges(store))];
}

function renderRankTable(r: RankResult): string {
  const head = `Upgrade ${r.current} -> ${r.target}${r.cluster ? ` (cluster ${r.cluster})` : ''}, window ${r.window.from} .. ${r.window.to}: ${r.clients.length} risky clients\n\n`;
  const guard = guardTable(r);
  if (r.clients.length === 0) return `${head}(no client sends risky traffic)\n${guard}`;
  // The guard's columns only where it judged someone (a denied client reads DENIED n).
  const judged = r.clients.some((c) => c.guard);
  const judgedFindings = r.clients.some((c) => c.findings.some((f) => f.guard));
  const clients = renderTable(
    r.clients.map((c) => ({
      rank: c.rank,
      client: c.client,
      version: c.clientVersion ?? '-',
      kube: c.kubeVersion ?? 'unknown',
      severity: c.severity,
      score: c.score,
      requests: c.requests,
      updates: c.updates,
      owners: c.owners.join(',') || '-',
      ...(judged ? { guard: guardLabel(c.guard) || '-' } : {}),
    })),
  );
  const findings = renderTable(
    r.clients.flatMap((c) =>
      c.findings.map((f) => ({
        rank: c.rank,
        severity: f.severity,
        change: f.change,
        api: `${f.group || 'core'}/${f.version}/${f.resource}`,
        path: f.path ?? '',
        since: f.since,
        verb: f.verb,
        count: f.count,
        samples: f.sampleAuditIds.slice(0, 2).join(','),
        ...(judgedFindings ? { guard: guardLabel(f.guard) || '-' } : {}),
      })),
    ),
  );
  return `${head}${clients}\nFindings:\n${findings}${guard}`;
}

/** Every client the guard judged in the window, ranked or not; '' when it judged none. */
function guardTable(r: RankResult): string {
  if (r.guard.length === 0) return '';
  const rows = renderTable(
    r.guard.map((e) => ({
      client: `${e.client}${e.clientVersion ? ` ${e.clientVersion}` : ''}${e.ranked ? '' : ' (not ranked)'}`,
      kube: e.kubeVersion ?? 'unknown',
      api: `${e.group || 'core'}/${e.version}/${e.resource}`,
      denied: e.denied,
      warned: e.warned,
      'would-deny': e.wouldDeny,
      undecided: e.undecided + e.other,
      fields: e.fields.join(',') || '-',
      users: e.users.join(',') || '-',
    })),
  );
  return `\nGuard verdicts (radar guard, docs/guard.md):\n${rows}`;
}

function renderRankMarkdown(r: RankResult): string {
  return `# Upgrade ${r.current} → ${r.target}${r.cluster ? ` (${r.cluster})` : ''}\n\nWindow ${r.window.from} — ${r.window.to}.\n\n${
    r.clients.length ? clientsMarkdown(r.clients) : 'No client sends risky traffic.'
  }\n${r.guard.length ? `\n${sectionMarkdown(guardSection(r.guard))}` : ''}`;
}

export function registerRank(program: Command): void {
  addUpgradeOptions(
    program
      .command('rank')
      .description(
        'rank the clients whose traffic is risky for an upgrade (removed APIs, field loss by old full updates)',
      ),
  )
    .addOption(formatOption(['json', 'table', 'md'], 'table'))
    .action(async (opts: UpgradeArgs & { format: string }) => {
      const { current: given, target, policy, window } = checkUpgradeArgs(opts);
      await withStore(opts, async (store) => {
        const derived = await resolveCurrent(store, '--current', given, opts.cluster, windowBounds(window));
        const current = derived.current;
        const result = await rank(store, await fullCatalog(store), {
          current,
          target,
          ...window,
          cluster: opts.cluster,
          policy,
        }).catch((err: unknown) => {
          throw asUsage(err);
        });
        if (opts.format === 'json') printJson({ ...result, derived });
        else
          process.stdout.write(
            `${derivedLine(derived)}${opts.format === 'md' ? renderRankMarkdown(result) : renderRankTable(result)}`,
          );
      });
    });
}
