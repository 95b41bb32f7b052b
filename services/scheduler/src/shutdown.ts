import type { Logger } from '@radar/observability';

export type ShutdownStep = readonly [name: string, run: () => Promise<unknown>];

/**
 * Runs shutdown steps in order, each after the previous one settled; a failing step is logged
 * and the rest still run (a stuck queue must not keep Redis or the store open). Returns the
 * names of the steps that failed.
 */
export async function runShutdown(
  steps: readonly ShutdownStep[],
  log: Pick<Logger, 'error'>,
): Promise<string[]> {
  const failed: string[] = [];
  for (const [name, run] of steps) {
    try {
      await run();
    } catch (err) {
      failed.push(name);
      log.error({ step: name, err: (err as Error).message }, 'shutdown step failed');
    }
  }
  return failed;
}
