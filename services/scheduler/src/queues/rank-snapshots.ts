import { rank, saveRankSnapshot, snapshotKey } from '@radar/ranking';
import { tickOf } from '../schedule.js';
import { type QueueModule, retryingJobOptions } from './types.js';

export interface UpgradeData {
  current: string;
  target: string;
  cluster?: string | undefined;
}

/** Hourly rank snapshots: one per hour and upgrade pair, recorded by saveRankSnapshot's period key. */
export const rankSnapshots: QueueModule<UpgradeData> = {
  name: 'rank-snapshots',
  schedulerId: 'rank-snapshot',
  defaultJobOptions: (cfg) => retryingJobOptions(cfg, cfg.SCHEDULER_JOB_ATTEMPTS, cfg.SCHEDULER_BACKOFF_MS),
  plan: (s) =>
    s.upgrade
      ? { repeat: s.repeat.rankSnapshots, data: { ...s.upgrade } }
      : { off: 'UPGRADE_CURRENT_VERSION / UPGRADE_TARGET_VERSION are not set' },
  async process(job, deps) {
    const to = tickOf(job);
    const from = new Date(to.getTime() - deps.settings.rankWindowMs);
    const result = await rank(deps.store, await deps.catalog(), {
      ...job.data,
      from,
      to,
      policy: deps.settings.policy,
      allowEmpty: true,
    });
    const saved = await saveRankSnapshot(
      deps.store,
      result,
      snapshotKey(to, job.data.current, job.data.target, job.data.cluster),
    );
    deps.metrics.snapshots.inc({ result: saved.created ? 'created' : 'existing' });
    return { periodKey: saved.periodKey, created: saved.created, clients: saved.result.clients.length };
  },
};
