import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (test/support is two levels down). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs one of the repo's infra scripts with bash. Its output goes to the test's stderr so a failure
 * in CI shows why; a non-zero exit rejects with the script's name and code.
 */
export function runInfraScript(script: string, args: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('bash', [script, ...args], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${script} ${args.join(' ')} failed (exit ${code ?? signal})`));
    });
  });
}

/**
 * Node arguments that run a service entry point as users run it: the built JavaScript
 * (`pnpm build`, run by the integration globalSetup), `services/x/src/main.ts` ->
 * `services/x/dist/main.js`, with the workspace's packages resolved to their dist/.
 */
export function builtEntry(entry: string): string[] {
  const built = entry.replace(/(^|\/)src\//, '$1dist/').replace(/\.ts$/, '.js');
  return ['--conditions=radar-dist', join(REPO_ROOT, built)];
}

/** `radar <args>` as node arguments: the built CLI. */
export const radarArgs = (args: readonly string[]): string[] => [
  ...builtEntry('services/cli/src/main.ts'),
  ...args,
];
