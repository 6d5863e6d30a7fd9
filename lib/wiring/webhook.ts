/** Dependencies of the webhook function (tries of webhook deliveries). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { FanoutNotifier } from '../adapters/fanout-notifier.ts';
import { SnsNotifier } from '../adapters/sns/sns-notifier.ts';
import { required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import type { DeliverWebhookDeps } from '../use-cases/deliver-webhook.ts';
import { WebhookFanout } from '../use-cases/webhook-fanout.ts';
import { createLogger, type WiringOverrides } from './common.ts';
import { webhookParts, webhookQueue } from './webhooks.ts';

/** Dependencies of the webhook function. */
export function wireWebhook(env: Env, overrides: WiringOverrides = {}): DeliverWebhookDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const parts = webhookParts(env, overrides, dynamo, tableNames(env));
  const queue = webhookQueue(env, overrides);
  // A webhook.disabled notice goes where events go: the topic (local mode: its feed) and the tenant's other endpoints.
  const topic = overrides.notifier ?? new SnsNotifier(overrides.sns ?? new SNSClient({}), required(env, ENV.topicArn));
  return {
    ...parts,
    webhookQueue: queue,
    notifier: new FanoutNotifier([topic, new WebhookFanout({ webhooks: parts.webhooks, webhookQueue: queue })]),
    retryBaseSeconds: parts.webhookSettings.retryBaseSeconds,
    clock: overrides.clock ?? systemClock,
    log: overrides.log ?? createLogger('webhook'),
  };
}
