import { builtinChanges, userChanges } from '@radar/catalog';
import { buildRules, EMPTY_GUARD_POLICY, loadGuardPolicy } from '@radar/guard';
import { guardVersions, runSimulation } from '@radar/guard-service';
import type { Command } from 'commander';
import { cliConfig, printJson, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../format.js';
import { duration, mode } from './guard-args.js';

/** `radar guard simulate`: stored full updates through the live guard's decision, per client. */
export function registerGuardSimulate(guard: Command): void {
  guard
    .command('simulate')
    .description(
      "replay stored full updates through the guard's decision: what warn/deny would flag, per client",
    )
    .option(
      '--from <version>',
      'version before the upgrade (default GUARD_FROM_VERSION, UPGRADE_CURRENT_VERSION)',
    )
    .option('--to <version>', 'version after it (default GUARD_TO_VERSION, UPGRADE_TARGET_VERSION)')
    .option('--since <duration>', 'stored updates of this window are replayed', '7d')
    .option('--learn <duration>', 'window the user/client table is learned from (default 14d)')
    .option('--mode <mode>', 'audit | warn | deny (default: the policy file, else GUARD_MODE)')
    .option('--policy <file>', 'modes per resource/namespace and allow-lists (default GUARD_POLICY_FILE)')
    .option('--format <format>', 'table | json', 'table')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(
      async (a: {
        from?: string;
        to?: string;
        since: string;
        learn?: string;
        mode?: string;
        policy?: string;
        format: string;
        dataDir?: string;
      }) => {
        const cfg = cliConfig();
        if (!['table', 'json'].includes(a.format))
          throw new UsageError(`--format ${a.format}: use table or json`);
        const { from, to } = guardVersions(cfg, a);
        buildRules([], from, to);
        const policyFile = a.policy ?? cfg.GUARD_POLICY_FILE;
        const policy = policyFile ? loadGuardPolicy(policyFile) : EMPTY_GUARD_POLICY;
        const sinceMs = duration('--since', a.since)!;
        const learnMs = duration('--learn', a.learn) ?? cfg.GUARD_LEARN_MS;
        const m = mode(a.mode) ?? (policyFile ? policy.mode : cfg.GUARD_MODE);
        await withStore(a, async (store) => {
          const changes = [...builtinChanges(), ...(await userChanges(store))];
          const res = await runSimulation(store, changes, {
            from,
            to,
            sinceMs,
            learnMs,
            policy,
            mode: m,
            cluster: cfg.GUARD_CLUSTER ?? '',
          });
          if (a.format === 'json') return printJson(res);
          process.stdout.write(
            `Full updates of the last ${a.since} by users the guard (${from} -> ${to}) would flag if they drop or reset a field:\n`,
          );
          process.stdout.write(
            renderTable(
              res.map((r) => ({
                verdict: r.verdict,
                user: r.username,
                client: `${r.client || '(no user agent)'} ${r.clientVersion}`,
                resource: `${r.group || 'core'}/${r.version}/${r.resource}`,
                updates: r.updates,
                'bodies recorded': r.withBody,
                fields: r.fields
                  .slice(0, 3)
                  .map(
                    (f) => `${f.path} (${f.since})${r.withBody ? `: absent in ${f.bodiesWithoutField}` : ''}`,
                  )
                  .join('; ')
                  .concat(r.fields.length > 3 ? ` (+${r.fields.length - 3} more)` : ''),
              })),
            ),
          );
        });
      },
    );
}
