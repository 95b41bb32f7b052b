import type { Change } from '@radar/catalog';
import { buildRules, compileGuardPolicy, type RuleSet } from '@radar/guard';
import { type Logger, Registry } from '@radar/observability';
import { guardLearn, type Store } from '@radar/store';
import { Learner } from './learner.js';
import { createGuardMetrics } from './metrics.js';
import { startGuardServer } from './server.js';
import type { GuardSettings } from './settings.js';

export interface GuardDeps {
  /**
   * The store, opened on first use and again after a failure: a guard whose store is down at start
   * still starts, and allows until it can learn.
   */
  store: () => Promise<Store>;
  /** The catalog (built-in plus imported records). */
  changes: readonly Change[];
  log: Logger;
  registry?: Registry;
  now?: () => number;
}

export interface RunningGuard {
  port: number;
  rules: RuleSet;
  learner: Learner;
  registry: Registry;
  close(): Promise<void>;
}

/** The query that learns who updates what with which client (queries/guard_learn.sql). */
export function learnQuery(store: () => Promise<Store>, rules: RuleSet, s: GuardSettings, now: () => number) {
  const resources = [...new Set([...rules.byResource.values()].flatMap((l) => l.map((r) => r.resource)))];
  return async () => {
    const t = now();
    return guardLearn.run(await store(), {
      from: new Date(t - s.learnMs),
      to: new Date(t),
      cluster: s.cluster,
      resources,
      paths: rules.paths,
    });
  };
}

/**
 * Starts the guard: the HTTPS server answers at once (allowing until the first table is loaded),
 * the learned table loads in the background and every refreshMs after.
 */
export async function startGuard(s: GuardSettings, deps: GuardDeps): Promise<RunningGuard> {
  const now = deps.now ?? Date.now;
  const registry = deps.registry ?? new Registry();
  const rules = buildRules(deps.changes, s.from, s.to);
  const policy = compileGuardPolicy(s.policy, s.mode);
  const log = deps.log;
  let failing = false;
  const learner = new Learner({
    load: learnQuery(deps.store, rules, s, now),
    refreshMs: s.refreshMs,
    maxStalenessMs: s.maxStalenessMs,
    now,
    onLoaded: (t, ms) => {
      metrics.tableRows.set(t.rows);
      if (failing) log.info({ rows: t.rows, ms }, 'guard: learned table loaded again');
      failing = false;
    },
    onError: (err) => {
      metrics.refreshFailures.inc();
      // One log line per outage, not one per refresh.
      if (!failing)
        log.warn({ err: String(err) }, 'guard: cannot load the learned table; allowing once it is stale');
      failing = true;
    },
  });
  const metrics = createGuardMetrics(registry, () => learner.ageSeconds());
  const server = await startGuardServer({
    host: s.host,
    port: s.port,
    cert: s.cert,
    key: s.key,
    maxBodyBytes: s.maxBodyBytes,
    requestTimeoutMs: s.requestTimeoutMs,
    deps: () => ({ rules, policy, table: learner.current() }),
    health: () => {
      const table = learner.current() ? 'fresh' : learner.ageSeconds() < 0 ? 'not-loaded' : 'stale';
      return { status: 'ok', table, tableAgeSeconds: learner.ageSeconds(), upgrade: `${s.from} -> ${s.to}` };
    },
    registry,
    metrics,
    log,
  });
  void learner.start();
  log.info(
    {
      port: server.port,
      upgrade: `${rules.from} -> ${rules.to}`,
      resources: rules.byResource.size,
      mode: s.mode,
    },
    'guard: listening',
  );
  return {
    port: server.port,
    rules,
    learner,
    registry,
    close: async () => {
      learner.stop();
      await server.close();
    },
  };
}
