/** Lambda: consumes the webhook queue and posts signed webhooks to tenants' endpoints (partial batch responses). */
import { createWebhookHandler } from '../lib/handlers/webhook-handler.ts';
import { wireWebhook } from '../lib/wiring/webhook.ts';

export const handler = createWebhookHandler(wireWebhook(process.env));
