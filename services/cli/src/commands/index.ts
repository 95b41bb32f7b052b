import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every `radar` sub-command, in the order help lists them. A command's module (and the packages it
 * imports: the store, the catalog, kafkajs, bullmq, ...) is loaded only when that command runs, so
 * `radar --help` and `radar catalog show` start in a fraction of the time; the others are listed by
 * name and summary (a test keeps the summaries equal to the modules' own descriptions).
 */
export const COMMANDS: readonly { names: string[]; summary: string[]; load: () => Promise<Register> }[] = [
  {
    names: ['serve'],
    summary: ['all-in-one: audit webhook + file ingest + scheduled jobs, storing into embedded ClickHouse'],
    load: async () => (await import('./serve.js')).registerServe,
  },
  {
    names: ['ingest'],
    summary: [
      'ingest an audit log file (JSON lines, EventList JSON, AKS/GKE exports; gzip or not) or - for stdin',
    ],
    load: async () => (await import('./ingest.js')).registerIngest,
  },
  {
    names: ['query'],
    summary: ['run one read-only statement, or a named query from queries/, in the query sandbox'],
    load: async () => (await import('./query.js')).registerQuery,
  },
  {
    names: ['migrate'],
    summary: ['apply the numbered ClickHouse migrations (idempotent; also done at every start)'],
    load: async () => (await import('./migrate.js')).registerMigrate,
  },
  {
    names: ['catalog'],
    summary: ['schema changes between Kubernetes versions (1.16-1.36), and imported CRD catalogs'],
    load: async () => (await import('./catalog.js')).registerCatalog,
  },
  {
    names: ['rank'],
    summary: [
      'rank the clients whose traffic is risky for an upgrade (removed APIs, field loss by old full updates)',
    ],
    load: async () => (await import('./rank.js')).registerRank,
  },
  {
    names: ['report'],
    summary: [
      'write the weekly client-upgrade report (report.md, report.html, report.json); once per ISO week',
    ],
    load: async () => (await import('./report.js')).registerReport,
  },
  {
    names: ['alerts'],
    summary: ['post-upgrade alerts: old clients still sending risky updates'],
    load: async () => (await import('./alerts.js')).registerAlerts,
  },
  {
    names: ['clusters'],
    summary: [
      "every cluster's versions from its own traffic: control plane over time, upgrade moments, node skew, emulated version",
    ],
    load: async () => (await import('./clusters.js')).registerClusters,
  },
  {
    names: ['plan'],
    summary: [
      'plan the apiserver roll of an upgrade: write rates of the changed resources by hour of the week, the quietest windows, whose writes to hold; and the mixed-version writes once it rolls',
    ],
    load: async () => (await import('./plan.js')).registerPlan,
  },
  {
    names: ['rollback-check'],
    summary: ['can a done upgrade be rolled back? exit 0 ready, 3 not ready (docs/rollback.md)'],
    load: async () => (await import('./rollback-check.js')).registerRollbackCheck,
  },
  {
    names: ['guard'],
    summary: ["admission webhook that stops old clients' full updates from resetting fields (docs/guard.md)"],
    load: async () => (await import('./guard.js')).registerGuard,
  },
  {
    names: ['scheduler'],
    summary: [
      'run the job scheduler (rank snapshots, weekly reports, alert checks) on Redis until SIGTERM/SIGINT; configured by the environment (docs/alerts-and-scheduler.md)',
    ],
    load: async () => (await import('./scheduler.js')).registerScheduler,
  },
  {
    names: ['worker', 'webhook'],
    summary: [
      'run an ingest worker: Kafka consumer group member storing into ClickHouse (scale by running more)',
      'run the audit webhook receiver, producing each event to Kafka',
    ],
    load: async () => (await import('./worker.js')).registerWorkers,
  },
];

/** Registers the command named in argv in full, and every other one as a name in the help. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const wanted = argv.slice(2).find((a) => !a.startsWith('-'));
  for (const c of COMMANDS) {
    if (wanted !== undefined && c.names.includes(wanted)) (await c.load())(program);
    else
      c.names.forEach((name, i) => {
        program.command(name).description(c.summary[i]!);
      });
  }
}

/** Every command in full (tests, and a check that the summaries above are the real ones). */
export async function registerAllCommands(program: Command): Promise<void> {
  for (const c of COMMANDS) (await c.load())(program);
}
