import { loadConfig } from '@radar/config';
import { startIngestWorker } from './worker.js';

// Entry point of a standalone worker process (also `radar worker`). Exits non-zero on a fatal
// consumer crash so the orchestrator restarts it.
const worker = await startIngestWorker(loadConfig(process.env));
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
