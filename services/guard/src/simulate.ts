import type { Change } from '@radar/catalog';
import {
  buildRules,
  buildUserTable,
  compileGuardPolicy,
  type GuardPolicy,
  type LearnedRow,
  type Mode,
  type SimulatedClient,
  type StoredUpdates,
  simulate,
} from '@radar/guard';
import { runNamedQuery, type Store } from '@radar/store';

export interface SimulationOptions {
  from: string;
  to: string;
  /** Stored updates replayed: [now - sinceMs, now]. */
  sinceMs: number;
  /** The learned table: [now - learnMs, now], as the live guard would have it. */
  learnMs: number;
  policy: GuardPolicy;
  mode?: Mode;
  cluster: string;
  now?: Date;
}

const chTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** `radar guard simulate`: stored update traffic through the live guard's decision. */
export async function runSimulation(
  store: Store,
  changes: readonly Change[],
  o: SimulationOptions,
): Promise<SimulatedClient[]> {
  const rules = buildRules(changes, o.from, o.to);
  const resources = [...new Set([...rules.byResource.values()].flatMap((l) => l.map((r) => r.resource)))];
  const now = (o.now ?? new Date()).getTime();
  const common = { cluster: o.cluster, resources, paths: rules.paths, to: chTime(now) };
  const learned = await runNamedQuery<LearnedRow>(store, 'guard_learn', {
    ...common,
    from: chTime(now - o.learnMs),
  });
  const stored = await runNamedQuery<StoredUpdates>(store, 'guard_simulate', {
    ...common,
    from: chTime(now - o.sinceMs),
  });
  return simulate(stored, rules, buildUserTable(learned), compileGuardPolicy(o.policy, o.mode));
}
