import type { Change } from '@radar/catalog';
import {
  buildRules,
  buildUserTable,
  compileGuardPolicy,
  type GuardPolicy,
  type Mode,
  type SimulatedClient,
  simulate,
} from '@radar/guard';
import { guardLearn, guardSimulate, type Store } from '@radar/store';

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

/** `radar guard simulate`: stored update traffic through the live guard's decision. */
export async function runSimulation(
  store: Store,
  changes: readonly Change[],
  o: SimulationOptions,
): Promise<SimulatedClient[]> {
  const rules = buildRules(changes, o.from, o.to);
  const resources = [...new Set([...rules.byResource.values()].flatMap((l) => l.map((r) => r.resource)))];
  const now = (o.now ?? new Date()).getTime();
  const common = { cluster: o.cluster, resources, paths: rules.paths, to: new Date(now) };
  const learned = await guardLearn.run(store, { ...common, from: new Date(now - o.learnMs) });
  const stored = await guardSimulate.run(store, { ...common, from: new Date(now - o.sinceMs) });
  return simulate(stored, rules, buildUserTable(learned), compileGuardPolicy(o.policy, o.mode));
}
