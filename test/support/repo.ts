import { execFile } from 'node:child_process';
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
