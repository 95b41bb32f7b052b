import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './repo.js';

const exec = promisify(execFile);
export const CHART_DIR = join(REPO_ROOT, 'deploy/helm/upgrade-radar');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [k: string]: unknown };
  [k: string]: unknown;
}

/**
 * `helm template` with Helm's own engine (helm-java through infra/helm/render.sh; no helm binary
 * here). Resolves to the manifests, or rejects with Helm's message.
 */
export async function helmTemplate(
  opts: { values?: string[]; set?: Record<string, string>; release?: string; namespace?: string } = {},
): Promise<{ text: string; objects: K8sObject[] }> {
  const args = [
    join(REPO_ROOT, 'infra/helm/render.sh'),
    CHART_DIR,
    opts.release ?? 'r1',
    opts.namespace ?? 'radar',
  ];
  for (const f of opts.values ?? []) args.push('-f', f);
  for (const [k, v] of Object.entries(opts.set ?? {})) args.push('--set', `${k}=${v}`);
  try {
    const { stdout } = await exec('bash', args, { maxBuffer: 32 * 1024 * 1024 });
    const objects = parseAllDocuments(stdout)
      .map((d) => {
        if (d.errors.length > 0) throw new Error(`rendered YAML does not parse: ${d.errors[0]!.message}`);
        return d.toJS() as K8sObject | null;
      })
      .filter((o): o is K8sObject => o !== null);
    return { text: stdout, objects };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(err.stderr?.trim() || err.message);
  }
}
