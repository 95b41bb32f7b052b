import { setTimeout as sleep } from 'node:timers/promises';

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface RetryPolicy {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

export interface PostResult {
  ok: boolean;
  /** The receiver refused the request itself (4xx other than 408/429): retrying cannot help. */
  permanent: boolean;
  attempts: number;
  /** Last HTTP status, 0 when no response came back. */
  status: number;
  error: string;
}

export type FetchLike = typeof fetch;

/**
 * POSTs JSON, retrying network errors, timeouts, 408, 429 and 5xx with exponential backoff
 * (backoffMs, x2 each retry, +-20% jitter so many checks do not retry in lockstep).
 */
export async function postWithRetry(
  req: HttpRequest,
  policy: RetryPolicy,
  fetchImpl: FetchLike = fetch,
): Promise<PostResult> {
  let last: PostResult = { ok: false, permanent: false, attempts: 0, status: 0, error: 'not attempted' };
  for (let attempt = 1; attempt <= policy.retries + 1; attempt++) {
    if (attempt > 1) {
      const base = policy.backoffMs * 2 ** (attempt - 2);
      await sleep(Math.round(base * (0.8 + Math.random() * 0.4)));
    }
    last = { ...(await postOnce(req, policy.timeoutMs, fetchImpl)), attempts: attempt };
    if (last.ok || last.permanent) return last;
  }
  return last;
}

async function postOnce(
  req: HttpRequest,
  timeoutMs: number,
  fetchImpl: FetchLike,
): Promise<Omit<PostResult, 'attempts'>> {
  try {
    const res = await fetchImpl(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...req.headers },
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read the body within the same deadline: a receiver that stalls mid-body is a timeout too.
    const text = await res.text();
    if (res.status >= 200 && res.status < 300)
      return { ok: true, permanent: false, status: res.status, error: '' };
    const transient = res.status === 408 || res.status === 429 || res.status >= 500;
    return {
      ok: false,
      permanent: !transient,
      status: res.status,
      error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    };
  } catch (err) {
    return { ok: false, permanent: false, status: 0, error: describeError(err, timeoutMs) };
  }
}

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  if (e.cause?.code) return `${e.message ?? 'request failed'} (${e.cause.code})`;
  return e.cause?.message ?? e.message ?? String(err);
}
