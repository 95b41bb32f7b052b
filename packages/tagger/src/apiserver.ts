import type { ApiserverIdentity } from './tag.js';

/** Names as a kubeconfig or a pod name gives them; nothing else is stored. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/;
const VERSION = /^v?1\.\d{1,3}\.\d{1,4}(?:[-+][0-9A-Za-z.+-]{1,64})?$/;

/**
 * An apiserver identity a source gives (`?apiserver=` on the webhook, `--apiserver` on file
 * ingest), checked the same way everywhere: the identity, or what is wrong with it, naming the
 * field as the caller calls it.
 */
export function checkApiserver(
  name: string | undefined,
  version: string | undefined,
  names: { name: string; version: string },
): { ok: ApiserverIdentity | undefined } | { error: string } {
  if (name === undefined) {
    if (version !== undefined) return { error: `${names.version} given without ${names.name} (its name)` };
    return { ok: undefined };
  }
  if (!NAME.test(name))
    return {
      error: `${names.name} ${JSON.stringify(name.slice(0, 80))}: up to 63 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
    };
  if (version !== undefined && !VERSION.test(version))
    return {
      error: `${names.version} ${JSON.stringify(version.slice(0, 80))}: a Kubernetes release like v1.28.3 or v1.28.3-gke.100`,
    };
  return { ok: { name, version: version ?? '' } };
}
