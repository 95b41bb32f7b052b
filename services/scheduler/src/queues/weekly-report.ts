import { join } from 'node:path';
import { isoWeek, reportIdOf, writeReport } from '@radar/ranking';
import { tickOf } from '../schedule.js';
import type { UpgradeData } from './rank-snapshots.js';
import { type QueueModule, retryingJobOptions } from './types.js';

/**
 * The weekly client-upgrade report (cron, time-zone aware). writeReport records its period key in
 * ClickHouse, so a retried or repeated job finds the report done instead of writing a second one.
 */
export const weeklyReport: QueueModule<UpgradeData> = {
  name: 'weekly-report',
  schedulerId: 'weekly-report',
  defaultJobOptions: (cfg) => retryingJobOptions(cfg, cfg.SCHEDULER_JOB_ATTEMPTS, cfg.SCHEDULER_BACKOFF_MS),
  plan: (s) =>
    s.upgrade
      ? { repeat: s.repeat.weeklyReport, data: { ...s.upgrade } }
      : { off: 'UPGRADE_CURRENT_VERSION / UPGRADE_TARGET_VERSION are not set' },
  async process(job, deps) {
    // The report covers the window ending at the planned tick, whenever the job actually runs.
    const to = tickOf(job);
    const from = new Date(to.getTime() - deps.settings.rankWindowMs);
    const out = await writeReport(deps.store, await deps.catalog(), {
      ...job.data,
      from,
      to,
      // One directory per report id (ISO week + upgrade + cluster): a re-run rewrites the same files.
      out: join(
        deps.settings.reportDir,
        reportIdOf(isoWeek(to).period, job.data.current, job.data.target, job.data.cluster),
      ),
      policy: deps.settings.policy,
      now: to,
      allowEmpty: true,
    });
    deps.metrics.reports.inc({ result: out.created ? 'created' : 'existing' });
    if (out.created) deps.log.info({ reportId: out.reportId, dir: out.dir }, 'weekly report written');
    return { reportId: out.reportId, created: out.created, dir: out.dir };
  },
};
