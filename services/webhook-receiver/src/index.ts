export { startWebhookReceiver } from './receiver.js';
export { startWebhookServer, type WebhookConfig } from './server.js';
export { type Accepted, BadBody, type EventSink, kafkaSink, storeSink } from './sink.js';
