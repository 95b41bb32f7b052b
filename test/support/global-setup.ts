import { execFile } from 'node:child_process';
import { KAFKA_BROKERS, LOCAL_BROKER } from './kafka.js';
import { REPO_ROOT, runInfraScript } from './repo.js';

// vitest globalSetup of the `integration` project: real Redis and Kafka must answer before any
// test runs. A broker this setup started is stopped at teardown; one that was already running
// (a developer's, or a previous run's) is left alone so repeated runs stay fast.

/** Exit code of infra/kafka/wait-ready.mjs against the test brokers. */
function waitReady(timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = [
      'infra/kafka/wait-ready.mjs',
      '--brokers',
      KAFKA_BROKERS.join(','),
      '--timeout-ms',
      String(timeoutMs),
    ];
    if (timeoutMs === 0) args.push('--quiet');
    const child = execFile(process.execPath, args, { cwd: REPO_ROOT });
    child.stderr?.pipe(process.stderr);
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** The built code the tests run as users do (pnpm build): fresh packages are skipped. */
function buildWorkspace(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['infra/build/build.mjs', '--if-stale'], { cwd: REPO_ROOT });
    child.stderr?.pipe(process.stderr);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pnpm build failed (exit ${code})`)),
    );
  });
}

export default async function setup(): Promise<() => Promise<void>> {
  await buildWorkspace();
  if (process.env.REDIS_URL === undefined) await runInfraScript('infra/redis/ensure.sh');

  if (!LOCAL_BROKER) {
    // Someone else runs Kafka (e.g. docker compose): only check that it answers.
    if ((await waitReady(60_000)) !== 0)
      throw new Error(`Kafka at KAFKA_BROKERS=${KAFKA_BROKERS} is not ready`);
    return async () => {};
  }

  const alreadyUp = (await waitReady(0)) === 0;
  if (!alreadyUp) await runInfraScript('infra/kafka/start.sh');
  return async () => {
    if (!alreadyUp) await runInfraScript('infra/kafka/stop.sh');
  };
}
