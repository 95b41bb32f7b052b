import { loadRollbackCheck, minorText, type RollbackCheck } from '@radar/upgrade';
import type { Command } from 'commander';
import { printJson, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../format.js';
import { parseInstant } from '../instant.js';
import { fullCatalog } from './rank.js';
import { minorFlag, oneCluster, resolveEmulated, windowOf } from './upgrade-args.js';

interface RollbackArgs {
  cluster?: string;
  from?: string;
  to?: string;
  emulated?: string;
  upgradedAt?: string;
  since: string;
  format: string;
  dataDir?: string;
}

/** Exit code of a check that found what a rollback would trip on: a CI gate reads it. */
export const NOT_READY_EXIT = 3;

function table(r: RollbackCheck): string {
  const list = (title: string, rows: Record<string, unknown>[]) => `\n${title}:\n${renderTable(rows)}`;
  const objs = (fs: RollbackCheck['newGroupVersions']) =>
    fs.map((f) => ({
      api: f.api,
      namespace: f.namespace,
      objects: f.objects,
      names: f.names.slice(0, 5).join(','),
      writes: f.writes,
    }));
  return `Rollback ${r.to} -> ${r.from}, writes since ${r.since}: ${r.ready ? 'READY' : 'NOT READY'}\n${list(
    `Objects written through group/versions ${r.from} does not serve`,
    objs(r.newGroupVersions),
  )}${list('Objects written since the upgrade whose storage version moved', objs(r.storageVersionMoved))}${list(
    `Fields added after ${r.from} set since the upgrade (a rollback drops them)`,
    r.addedFieldsSet,
  )}${list('Before the next upgrade: objects last written before the storage move (migrate them)', objs(r.notMigrated))}`;
}

export function registerRollbackCheck(program: Command): void {
  program
    .command('rollback-check')
    .description(
      `can a done upgrade be rolled back? exit 0 ready, ${NOT_READY_EXIT} not ready (docs/rollback.md)`,
    )
    .option('--cluster <name>', 'the cluster (default: the only one in the store)')
    .option(
      '--from <version>',
      "the version before the upgrade (default: the cluster's last detected upgrade)",
    )
    .option('--to <version>', 'the version upgraded to (default: the detected one)')
    .option(
      '--emulated <version>',
      'the control plane serves this version (--emulated-version, KEP-4330) instead of --to',
    )
    .option('--upgraded-at <time>', 'the upgrade moment, ISO 8601 (default: the detected one)')
    .option('--since <duration>', 'how far back to look for the upgrade: 7d, 4w', '30d')
    .option('--format <format>', 'json | table', 'table')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (a: RollbackArgs) => {
      if (!['json', 'table'].includes(a.format))
        throw new UsageError(`--format ${a.format}: use json or table`);
      const w = windowOf({ since: a.since }, '30d');
      const givenAt = a.upgradedAt === undefined ? undefined : parseInstant('--upgraded-at', a.upgradedAt);
      const flagFrom = a.from === undefined ? undefined : minorFlag('--from', a.from);
      const flagTo = a.to === undefined ? undefined : minorFlag('--to', a.to);
      const givenEmulated = a.emulated === undefined ? undefined : minorFlag('--emulated', a.emulated);
      await withStore(a, async (store) => {
        const cluster = await oneCluster(store, a.cluster, w);
        const up = [...cluster.upgrades]
          .reverse()
          .find(
            (u) =>
              (flagFrom === undefined || u.from === minorText(flagFrom)) &&
              (flagTo === undefined || u.to === minorText(flagTo)),
          );
        const from = flagFrom ?? (up ? minorFlag('--from', up.from) : undefined);
        const upgradedTo = flagTo ?? (up ? minorFlag('--to', up.to) : undefined);
        // Not given: the emulated minor traffic shows for the binary upgraded to.
        const { emulated, from: emulatedFrom } = resolveEmulated(givenEmulated, cluster, upgradedTo);
        const said = emulatedFrom === 'traffic' ? { emulatedFrom } : {};
        const to = emulated ?? upgradedTo;
        const at = givenAt ?? (up ? new Date(up.at) : undefined);
        if (from === undefined || to === undefined || at === undefined)
          throw new UsageError(
            `no upgrade of cluster ${cluster.cluster} detected in the last ${a.since} (its control plane ran ${
              cluster.timeline.map((t) => t.minor).join(', ') || 'no known version'
            }): pass --from, --to and --upgraded-at`,
          );
        // Emulating the old minor (KEP-4330's rollback-safe step): the API served is `from`'s, nothing
        // written depends on the new one.
        if (emulated !== undefined && emulated <= from) {
          const none = { newGroupVersions: [], storageVersionMoved: [], addedFieldsSet: [], notMigrated: [] };
          const out = {
            cluster: cluster.cluster,
            from: minorText(from),
            to: minorText(emulated),
            since: at.toISOString(),
            ready: true,
            ...none,
          };
          if (a.format === 'json')
            printJson({
              ...out,
              emulated: minorText(emulated),
              ...said,
              detected: up !== undefined && givenAt === undefined,
              truncated: false,
            });
          else
            process.stdout.write(
              `${table(out)}\n(the control plane emulates ${minorText(emulated)}${emulatedFrom === 'traffic' ? ', detected from traffic' : ''}: the API it serves is the old release's)\n`,
            );
          return;
        }
        if (to <= from) throw new UsageError(`--to ${minorText(to)} is not after --from ${minorText(from)}`);
        const res = await loadRollbackCheck(store, await fullCatalog(store), {
          cluster: cluster.cluster,
          from,
          to,
          since: at,
          end: w.to,
        });
        const out = {
          cluster: cluster.cluster,
          detected: up !== undefined && givenAt === undefined,
          ...(emulated !== undefined ? { emulated: minorText(emulated), ...said } : {}),
          ...res,
        };
        if (a.format === 'json') printJson(out);
        else
          process.stdout.write(
            `${table(res)}${emulatedFrom === 'traffic' ? `\n(judged against ${minorText(emulated!)}: the control plane emulates it, detected from traffic; pass --emulated to override)\n` : ''}`,
          );
        if (!res.ready) process.exitCode = NOT_READY_EXIT;
      });
    });
}
