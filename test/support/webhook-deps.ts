/** Dependencies of the webhook use cases over in-memory fakes, for unit tests. */
import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { keyEncryptionKey } from '../../lib/domain/sealed-secret.ts';
import { DEFAULT_WEBHOOK_URL_POLICY } from '../../lib/domain/webhook-url.ts';
import type { DeliverWebhookDeps } from '../../lib/use-cases/deliver-webhook.ts';
import type { WebhookDeliveryDeps } from '../../lib/use-cases/webhook-deliveries.ts';
import {
  clockAt,
  memoryLog,
  MemoryMetrics,
  MemoryNotifier,
  MemoryWebhookDeliveryStore,
  MemoryWebhookQueue,
  MemoryWebhookStore,
  ScriptedWebhookSender,
  tableResolver,
  type MemoryLog,
  type TestClock,
} from './fakes/index.ts';

export interface WebhookTestDeps extends WebhookDeliveryDeps, DeliverWebhookDeps {
  webhooks: MemoryWebhookStore;
  webhookDeliveries: MemoryWebhookDeliveryStore;
  webhookQueue: MemoryWebhookQueue;
  webhookSender: ScriptedWebhookSender;
  notifier: MemoryNotifier;
  metrics: MemoryMetrics;
  clock: TestClock;
  log: MemoryLog;
}

/** Fresh fakes; `hooks.example.com` resolves to a public address, `internal.example.com` to a private one. */
export function webhookDeps(): WebhookTestDeps {
  const kek = keyEncryptionKey(randomBytes(32));
  return {
    webhooks: new MemoryWebhookStore(),
    webhookDeliveries: new MemoryWebhookDeliveryStore(),
    webhookQueue: new MemoryWebhookQueue(),
    webhookSender: new ScriptedWebhookSender(),
    notifier: new MemoryNotifier(),
    metrics: new MemoryMetrics(),
    hosts: tableResolver({ 'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::248'], 'internal.example.com': ['10.0.0.7'] }),
    domainKey: async () => kek,
    webhookSettings: { retryBaseSeconds: 5, maxEndpoints: 3, urlPolicy: DEFAULT_WEBHOOK_URL_POLICY },
    retryBaseSeconds: 5,
    random: () => 0.5,
    clock: clockAt('2026-03-01T00:00:00.000Z'),
    newId: monotonicFactory(),
    log: memoryLog(),
  };
}
