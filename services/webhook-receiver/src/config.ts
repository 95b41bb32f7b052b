import type { RadarConfig } from '@radar/config';
import type { DeadLetterLimits } from './dead-letters.js';
import type { WebhookConfig } from './server.js';

/** The webhook listener's settings from the environment; serve and webhook differ in host/port only. */
export function webhookConfigOf(cfg: RadarConfig, listen: { host: string; port: number }): WebhookConfig {
  return {
    ...listen,
    path: '/audit',
    token: cfg.WEBHOOK_TOKEN,
    bodyLimitBytes: cfg.WEBHOOK_BODY_LIMIT_BYTES,
    maxDecodedBytes: cfg.WEBHOOK_MAX_DECODED_BYTES,
    headersTimeoutMs: cfg.WEBHOOK_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: cfg.WEBHOOK_REQUEST_TIMEOUT_MS,
    idleTimeoutMs: cfg.WEBHOOK_IDLE_TIMEOUT_MS,
  };
}

export function deadLetterLimitsOf(cfg: RadarConfig): DeadLetterLimits {
  return {
    maxBytes: cfg.WEBHOOK_DEAD_LETTER_MAX_BYTES,
    perRequest: cfg.WEBHOOK_DEAD_LETTERS_PER_REQUEST,
    perMinute: cfg.WEBHOOK_DEAD_LETTERS_PER_MINUTE,
  };
}
