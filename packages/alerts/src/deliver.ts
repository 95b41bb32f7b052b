import type { Sink } from './sinks/formats.js';
import { type FetchLike, postWithRetry } from './sinks/http.js';
import type { Alert, DeliveryOutcome } from './types.js';

/**
 * Delivers each sink's alerts. Sinks run concurrently and never share a failure: one that hangs or
 * answers 500 only delays its own outcome (bounded by its timeout x attempts), never another's.
 */
export async function deliver(
  work: ReadonlyMap<string, readonly Alert[]>,
  sinks: readonly Sink[],
  now: Date,
  fetchImpl?: FetchLike,
): Promise<DeliveryOutcome[]> {
  const perSink = await Promise.all(
    sinks.map(async (sink) => {
      const alerts = work.get(sink.name) ?? [];
      const outcomes: DeliveryOutcome[] = [];
      let requests: ReturnType<Sink['requests']>;
      try {
        requests = sink.requests(alerts, now);
      } catch (err) {
        // A payload that cannot be built is this sink's problem; record it for every alert.
        const error = `cannot build the request: ${(err as Error).message}`;
        return alerts.map((a) => fail(a.id, sink.name, error));
      }
      for (const { alertIds, request } of requests) {
        const r = await postWithRetry(request, sink.policy, fetchImpl);
        const outcome = r.ok ? 'delivered' : r.permanent ? 'rejected' : 'failed';
        for (const alertId of alertIds) {
          outcomes.push({
            alertId,
            sink: sink.name,
            outcome,
            attempts: r.attempts,
            status: r.status,
            error: r.error,
          });
        }
      }
      return outcomes;
    }),
  );
  return perSink.flat();
}

function fail(alertId: string, sink: string, error: string): DeliveryOutcome {
  return { alertId, sink, outcome: 'rejected', attempts: 0, status: 0, error };
}
