import { loadMixedWrites, loadPlan, minorText } from '@radar/upgrade';
import type { Command } from 'commander';
import { printJson, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../format.js';
import { fullCatalog } from './rank.js';
import { derivedLine, minorFlag, oneCluster, resolveCurrent, windowOf } from './upgrade-args.js';

interface PlanArgs {
  current?: string;
  target: string;
  emulated?: string;
  cluster?: string;
  weeks: string;
  rollHours: string;
  to?: string;
  format: string;
  dataDir?: string;
}

const wholeNumber = (flag: string, text: string, max: number): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max)
    throw new UsageError(`${flag} ${text}: a whole number in 1..${max}`);
  return n;
};

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'plan the apiserver roll of an upgrade: write rates of the changed resources by hour of the week, the quietest windows, whose writes to hold; and the mixed-version writes once it rolls',
    )
    .option(
      '--current <version>',
      "version the cluster runs now (default: its control plane's, from its traffic)",
    )
    .requiredOption('--target <version>', 'version to upgrade to, e.g. 1.25')
    .option(
      '--emulated <version>',
      'the new control plane runs with --emulated-version (KEP-4330): judge the changed fields against it instead of --target',
    )
    .option('--cluster <name>', 'the cluster (default: the only one in the store)')
    .option('--weeks <n>', 'weeks of history the write rates average over', '4')
    .option('--roll-hours <n>', 'how long the apiserver roll takes, in hours', '2')
    .option('--to <time>', 'end of the history, ISO 8601 (default now)')
    .option('--format <format>', 'json | table', 'table')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (a: PlanArgs) => {
      if (!['json', 'table'].includes(a.format))
        throw new UsageError(`--format ${a.format}: use json or table`);
      const weeks = wholeNumber('--weeks', a.weeks, 52);
      const rollHours = wholeNumber('--roll-hours', a.rollHours, 24);
      const target = minorFlag('--target', a.target);
      const emulated = a.emulated === undefined ? undefined : minorFlag('--emulated', a.emulated);
      const end = windowOf({ since: '1h', ...(a.to ? { to: a.to } : {}) }, '1h').to;
      const history = { from: new Date(end.getTime() - weeks * 7 * 86_400_000), to: end };
      await withStore(a, async (store) => {
        const cluster = await oneCluster(store, a.cluster, history);
        const derived = await resolveCurrent(store, '--current', a.current, cluster.cluster, history);
        const current = minorFlag('--current', derived.current);
        const served = emulated ?? target;
        if (served <= current)
          throw new UsageError(
            `--target ${minorText(served)} is not after the current version ${minorText(current)}`,
          );
        const catalog = await fullCatalog(store);
        const plan = await loadPlan(store, catalog, {
          cluster: cluster.cluster,
          from: current,
          to: served,
          weeks,
          rollHours,
          end,
        });
        const mixed = await loadMixedWrites(store, catalog, cluster, current, served);
        const out = {
          cluster: cluster.cluster,
          current: minorText(current),
          target: minorText(target),
          ...(emulated !== undefined ? { emulated: minorText(emulated) } : {}),
          derived,
          plan,
          mixed,
        };
        if (a.format === 'json') return printJson(out);
        const best = plan.windows[0]!;
        process.stdout.write(
          `${derivedLine(derived)}Upgrade ${out.current} -> ${out.target}${emulated !== undefined ? ` (emulating ${minorText(emulated)})` : ''}, cluster ${cluster.cluster}: ${plan.changedResources.length} resources with field changes, ${weeks} weeks of writes\n\nQuietest windows for a ${rollHours}h apiserver roll:\n${renderTable(
            plan.windows.map((w, i) => ({
              rank: i + 1,
              window: w.label,
              writesPerHour: w.expectedWritesPerHour,
            })),
          )}\nHold during ${best.label}:\n${renderTable(plan.hold.map((h) => ({ ...h })))}`,
        );
        if (mixed.window)
          process.stdout.write(
            `\nMixed-version window ${mixed.window.start} .. ${mixed.window.end} (${mixed.window.basis}): writes through the older apiserver on changed resources\n${renderTable(
              mixed.writes.map((w) => ({ ...w, sampleAuditIds: w.sampleAuditIds.slice(0, 2).join(',') })),
            )}`,
          );
      });
    });
}
