export { type BodyEncoding, bodyEncoding, decodeBody, HttpError } from './body.js';
export { deadLetterLimitsOf, webhookConfigOf } from './config.js';
export {
  DEFAULT_DEAD_LETTER_LIMITS,
  type DeadLetterLimits,
  type DeadLetterPlan,
  MinuteBudget,
  planDeadLetters,
} from './dead-letters.js';
export { type KafkaSinkConfig, kafkaSink } from './kafka-sink.js';
export { startWebhookReceiver } from './receiver.js';
export { startWebhookServer, type WebhookConfig } from './server.js';
export {
  type Accepted,
  BadBody,
  BodyTooLarge,
  type EventSink,
  type QueuedAnswer,
  type RowLog,
  refusedLetters,
  SpoolFull,
  type StoredAnswer,
  type StoreSinkConfig,
  storeSink,
} from './sink.js';
export { openWebhookSpool, type WebhookSpool, type WebhookSpoolConfig } from './spool.js';
