import { parseSinkConfigs } from './config.js';
import { createSink, type Sink } from './formats.js';

export { parseSinkConfigs, type SinkConfig, SinkConfigError, sinkConfigSchema } from './config.js';
export { alertmanagerSink, createSink, type Sink, slackSink, webhookSink } from './formats.js';
export {
  type FetchLike,
  type HttpRequest,
  type PostResult,
  postWithRetry,
  type RetryPolicy,
} from './http.js';

/**
 * Sinks from configuration: a JSON array (text or parsed) of
 * `{type: 'webhook'|'slack'|'alertmanager', url, name?, timeoutMs?, retries?, backoffMs?, ...}`.
 * Throws SinkConfigError naming the entry and field (`<source>[1].url: ...`).
 */
export function loadSinks(config: unknown, source = 'sinks'): Sink[] {
  return parseSinkConfigs(config, source).map(createSink);
}
