export { createSchedulerMetrics, type SchedulerMetrics } from './metrics.js';
export {
  alertChecks,
  type JobDeps,
  QUEUES,
  type QueueModule,
  rankSnapshots,
  weeklyReport,
} from './queues/index.js';
export { RedisUnavailableError } from './redis.js';
export { parseSchedule, type Repeat, ScheduleError, tickOf } from './schedule.js';
export { type RunningScheduler, type SchedulerDeps, startScheduler } from './scheduler.js';
export { resolveSettings, SchedulerConfigError, type Settings } from './settings.js';
