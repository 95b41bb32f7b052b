// The `radar guard` service: HTTPS admission endpoint and the background-learned user table.
export { type GuardDeps, learnQuery, type RunningGuard, startGuard } from './guard.js';
export { Learner, type LearnerOptions } from './learner.js';
export { createGuardMetrics, type GuardMetrics } from './metrics.js';
export { type GuardServer, type ServerOptions, startGuardServer } from './server.js';
export { type GuardFlags, type GuardSettings, guardSettings, guardVersions } from './settings.js';
export { runSimulation, type SimulationOptions } from './simulate.js';
