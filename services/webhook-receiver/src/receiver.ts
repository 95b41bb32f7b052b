import { bodyOptionsOf, type RadarConfig } from '@radar/config';
import { createBodyConfig } from '@radar/field-paths';
import { createProducer, hideKafkajsTimerWarning } from '@radar/kafka';
import { createLogger, Registry } from '@radar/observability';
import { webhookConfigOf } from './config.js';
import { kafkaSink } from './kafka-sink.js';
import { startWebhookServer } from './server.js';

/** Standalone receiver: apiserver webhook in, one Kafka message per event out. */
export async function startWebhookReceiver(
  cfg: RadarConfig,
): Promise<{ port: number; close(): Promise<void> }> {
  hideKafkajsTimerWarning();
  const log = createLogger('webhook-receiver', cfg.LOG_LEVEL);
  const registry = new Registry();
  const producer = await createProducer({ brokers: cfg.KAFKA_BROKERS, clientId: cfg.KAFKA_CLIENT_ID });
  const server = await startWebhookServer(
    webhookConfigOf(cfg, { host: cfg.HTTP_HOST, port: cfg.HTTP_PORT }),
    {
      sink: kafkaSink(
        producer,
        {
          topic: cfg.KAFKA_TOPIC,
          dlqTopic: cfg.KAFKA_DLQ_TOPIC,
          maxMessageBytes: cfg.WEBHOOK_KAFKA_MAX_MESSAGE_BYTES,
          deadLetterMaxBytes: cfg.WEBHOOK_DEAD_LETTER_MAX_BYTES,
        },
        createBodyConfig(bodyOptionsOf(cfg)),
      ),
      registry,
      log,
    },
  );
  log.info({ port: server.port, topic: cfg.KAFKA_TOPIC }, 'webhook receiver started');
  return {
    port: server.port,
    close: async () => {
      await server.close();
      await producer.close();
    },
  };
}
