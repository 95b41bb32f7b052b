import type { ClusterWithEmulation, EmulatedVersion } from '@radar/upgrade';
import type { Command } from 'commander';
import { printJson, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../format.js';
import { clustersWithEmulation, emulationEvidence, windowOf } from './upgrade-args.js';

interface ClustersArgs {
  cluster?: string;
  since?: string;
  from?: string;
  to?: string;
  format: string;
  dataDir?: string;
}

/** '1.32 (networking.k8s.io/v1 servicecidrs (new in 1.33) 404 x4)', 'no', 'unknown'. */
function emulatedCell(e: EmulatedVersion | null): string {
  if (!e || e.status === 'unknown') return 'unknown';
  if (e.status === 'not-emulated') return 'no';
  if (e.status === 'conflicting') return `conflicting (>= ${e.atLeast}, <= ${e.atMost})`;
  return `${e.minor} (${emulationEvidence(e)})`;
}

const rowsOf = (cs: ClusterWithEmulation[]) =>
  cs.map((c) => ({
    cluster: c.cluster,
    current: c.current ?? 'unknown',
    emulated: emulatedCell(c.emulatedVersion),
    minors: c.timeline.map((t) => t.minor).join(' -> ') || '-',
    upgrades: c.upgrades.map((u) => `${u.from}->${u.to} at ${u.at}`).join('; ') || '-',
    kubelets:
      c.nodes.map((n) => `${n.minor} x${n.nodes}${n.behind ? ` (-${n.behind})` : ''}`).join(', ') || '-',
    skew: c.unsupportedSkew ? 'UNSUPPORTED' : 'ok',
    apiservers: c.apiservers.map((a) => `${a.apiserver}@${a.version || '?'}`).join(', ') || '-',
  }));

function markdown(cs: ClusterWithEmulation[]): string {
  const head =
    '| cluster | current | emulated | minors | upgrades | kubelets | skew | apiservers |\n|---|---|---|---|---|---|---|---|\n';
  return `# Clusters\n\n${head}${rowsOf(cs)
    .map((r) => `| ${Object.values(r).join(' | ')} |`)
    .join('\n')}\n`;
}

export function registerClusters(program: Command): void {
  program
    .command('clusters')
    .description(
      "every cluster's versions from its own traffic: control plane over time, upgrade moments, node skew, emulated version",
    )
    .option('--cluster <name>', 'only this cluster (default: all)')
    .option('--since <duration>', 'window ending at --to (default now): 24h, 7d, 4w', '30d')
    .option('--from <time>', 'window start, ISO 8601; overrides --since')
    .option('--to <time>', 'window end, ISO 8601 (default now)')
    .option('--format <format>', 'json | table | md', 'table')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (a: ClustersArgs) => {
      if (!['json', 'table', 'md'].includes(a.format))
        throw new UsageError(`--format ${a.format}: use json, table or md`);
      const w = windowOf(a, '30d');
      await withStore(a, async (store) => {
        const clusters = await clustersWithEmulation(store, a.cluster, w);
        if (a.format === 'json')
          printJson({ window: { from: w.from.toISOString(), to: w.to.toISOString() }, clusters });
        else if (a.format === 'md') process.stdout.write(markdown(clusters));
        else
          process.stdout.write(
            clusters.length
              ? renderTable(rowsOf(clusters))
              : '(no control-plane or apiserver traffic in the window)\n',
          );
      });
    });
}
