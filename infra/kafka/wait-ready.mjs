// Polls a Kafka broker until its admin API answers describeCluster and its group coordinator
// answers, or gives up.
// Usage: node wait-ready.mjs [--brokers 127.0.0.1:9092] [--timeout-ms 60000] [--pid N]
// Exit codes: 0 ready, 1 timed out, 2 the watched broker process (--pid) died.
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const { values } = parseArgs({
  options: {
    brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
    'timeout-ms': { type: 'string', default: '60000' },
    pid: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const brokers = values.brokers.split(',').map((b) => b.trim());
const deadline = Date.now() + Number(values['timeout-ms']);
const pid = values.pid ? Number(values.pid) : undefined;

// No retries inside kafkajs: this loop is the retry, with its own deadline.
const kafka = new Kafka({
  clientId: 'radar-wait-ready',
  brokers,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 3000,
  retry: { retries: 0 },
});

function alive(p) {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
}

async function probe() {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return 'no broker registered yet';
    // Ready also means consumer groups work: this finds the group coordinator, which makes a fresh
    // broker create __consumer_offsets now instead of during the first test.
    await admin.describeGroups(['radar-wait-ready']);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

let lastError = 'no attempt made';
for (;;) {
  const error = await probe();
  if (error === null) process.exit(0);
  lastError = error;
  if (pid !== undefined && !alive(pid)) {
    if (!values.quiet) console.error(`kafka: broker process ${pid} exited before it was ready`);
    process.exit(2);
  }
  if (Date.now() >= deadline) break;
  await new Promise((r) => setTimeout(r, 250));
}
if (!values.quiet) console.error(`kafka: no broker ready at ${brokers.join(',')} (last error: ${lastError})`);
process.exit(1);
