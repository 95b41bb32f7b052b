import { writeReport } from '@radar/ranking';
import type { Command } from 'commander';
import { printJson, withStore } from '../context.js';
import {
  addUpgradeOptions,
  asUsage,
  checkUpgradeArgs,
  fullCatalog,
  type UpgradeArgs,
  windowBounds,
} from './rank.js';
import { derivedLine, resolveCurrent } from './upgrade-args.js';
import { upgradeSections } from './upgrade-sections.js';

export function registerReport(program: Command): void {
  addUpgradeOptions(
    program
      .command('report')
      .description(
        'write the weekly client-upgrade report (report.md, report.html, report.json); once per ISO week',
      ),
  )
    .requiredOption('--out <dir>', 'directory for report.md, report.html and report.json')
    .action(async (opts: UpgradeArgs & { out: string }) => {
      const { current: given, target, policy, window } = checkUpgradeArgs(opts);
      await withStore(opts, async (store) => {
        const derived = await resolveCurrent(store, '--current', given, opts.cluster, windowBounds(window));
        const current = derived.current;
        if (derived.from === 'traffic') process.stderr.write(`radar: ${derivedLine(derived)}`);
        const catalog = await fullCatalog(store);
        const sections = await upgradeSections(store, catalog, {
          current,
          target,
          cluster: opts.cluster,
          window: windowBounds(window),
        });
        const res = await writeReport(store, catalog, {
          sections,
          current,
          target,
          ...window,
          cluster: opts.cluster,
          policy,
          out: opts.out,
        }).catch((err: unknown) => {
          throw asUsage(err);
        });
        if (!res.created)
          // Once per ISO week: a rerun (another window included) renders the week's first report.
          process.stderr.write(
            `radar: the report ${res.reportId} for this week already exists; rendered it again unchanged (its window is kept)\n`,
          );
        printJson({ ...res, derived });
      });
    });
}
