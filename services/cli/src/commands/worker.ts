import { startIngestWorker } from '@radar/ingest-worker';
import { startWebhookReceiver } from '@radar/webhook-receiver';
import type { Command } from 'commander';
import { cliConfig } from '../context.js';

/** Long-running services of a scaled deployment, configured by the environment (see README). */
export function registerWorkers(program: Command): void {
  program
    .command('worker')
    .description(
      'run an ingest worker: Kafka consumer group member storing into ClickHouse (scale by running more)',
    )
    .action(async () => runUntilSignal(await startIngestWorker(cliConfig())));
  program
    .command('webhook')
    .description('run the audit webhook receiver, producing each event to Kafka')
    .action(async () => runUntilSignal(await startWebhookReceiver(cliConfig())));
}

async function runUntilSignal(service: { close(): Promise<void> }): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await service.close();
}
