import { readFileSync } from 'node:fs';
import type { RadarConfig } from '@radar/config';
import { InputError } from '@radar/errors';
import { EMPTY_GUARD_POLICY, type GuardPolicy, loadGuardPolicy, type Mode } from '@radar/guard';

/** Everything the guard runs with, typed; built from the environment and flags by the CLI. */
export interface GuardSettings {
  host: string;
  port: number;
  cert: string | Buffer;
  key: string | Buffer;
  from: string;
  to: string;
  mode: Mode;
  policy: GuardPolicy;
  learnMs: number;
  refreshMs: number;
  maxStalenessMs: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  /** '' = every cluster. */
  cluster: string;
}

export interface GuardFlags {
  from?: string;
  to?: string;
  mode?: Mode;
  policy?: string;
  cert?: string;
  key?: string;
  port?: number;
  host?: string;
  learnMs?: number;
  refreshMs?: number;
  maxStalenessMs?: number;
}

/** The upgrade's two versions from flags, else GUARD_*, else UPGRADE_* (an InputError when missing). */
export function guardVersions(cfg: RadarConfig, flags: Pick<GuardFlags, 'from' | 'to'>) {
  const from = flags.from ?? cfg.GUARD_FROM_VERSION ?? cfg.UPGRADE_CURRENT_VERSION;
  const to = flags.to ?? cfg.GUARD_TO_VERSION ?? cfg.UPGRADE_TARGET_VERSION;
  if (!from || !to) {
    throw new InputError(
      '--from and --to are required (or GUARD_FROM_VERSION/GUARD_TO_VERSION, UPGRADE_*_VERSION)',
    );
  }
  return { from, to };
}

function readPem(path: string | undefined, what: string): Buffer {
  if (!path)
    throw new InputError(`${what} is required: the apiserver calls admission webhooks over HTTPS only`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new InputError(
      `${what} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

export function guardSettings(cfg: RadarConfig, flags: GuardFlags = {}): GuardSettings {
  const { from, to } = guardVersions(cfg, flags);
  const policyFile = flags.policy ?? cfg.GUARD_POLICY_FILE;
  const policy = policyFile ? loadGuardPolicy(policyFile) : EMPTY_GUARD_POLICY;
  return {
    host: flags.host ?? cfg.GUARD_HOST,
    port: flags.port ?? cfg.GUARD_PORT,
    cert: readPem(flags.cert ?? cfg.GUARD_TLS_CERT_FILE, '--tls-cert (GUARD_TLS_CERT_FILE)'),
    key: readPem(flags.key ?? cfg.GUARD_TLS_KEY_FILE, '--tls-key (GUARD_TLS_KEY_FILE)'),
    from,
    to,
    // A flag beats the policy file's global mode, which beats the environment's default.
    mode: flags.mode ?? (policyFile ? policy.mode : cfg.GUARD_MODE),
    policy,
    learnMs: flags.learnMs ?? cfg.GUARD_LEARN_MS,
    refreshMs: flags.refreshMs ?? cfg.GUARD_REFRESH_MS,
    maxStalenessMs: flags.maxStalenessMs ?? cfg.GUARD_MAX_STALENESS_MS,
    maxBodyBytes: cfg.GUARD_MAX_BODY_BYTES,
    requestTimeoutMs: cfg.GUARD_REQUEST_TIMEOUT_MS,
    cluster: cfg.GUARD_CLUSTER ?? '',
  };
}
