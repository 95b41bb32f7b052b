import { loadConfig } from '@radar/config';
import { startWebhookReceiver } from './receiver.js';

const receiver = await startWebhookReceiver(loadConfig(process.env));
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    receiver.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
