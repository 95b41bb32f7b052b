export {
  type BatchControl,
  type BatchHandler,
  type ConsumerHandle,
  createProducer,
  ensureTopics,
  type KafkaConfig,
  type PartitionBatch,
  type ProducedRecord,
  type Producer,
  startConsumer,
} from './client.js';
