/** Dependencies of the webhook function (tries of webhook deliveries). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CachedWebhookStore } from '../adapters/cached-webhook-store.ts';
import { FanoutNotifier } from '../adapters/fanout-notifier.ts';
import { SnsNotifier } from '../adapters/sns/sns-notifier.ts';
import { required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { WebhookHandlerDeps } from '../handlers/webhook-handler.ts';
import { systemClock } from '../ports/clock.ts';
import { WebhookFanout } from '../use-cases/webhook-fanout.ts';
import type { WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';
import { webhookParts, webhookQueue } from './webhooks.ts';

/** Dependencies of the webhook function. */
export function wireWebhook(env: Env, overrides: WiringOverrides = {}): WebhookHandlerDeps {
  const { log, metrics, middlewares } = functionTelemetry('webhook', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const shared = webhookParts(env, overrides, dynamo, tableNames(env));
  // Every try reads its endpoint: kept a few seconds, so that a tenant's tries do not all read its partition.
  const parts = { ...shared, webhooks: new CachedWebhookStore(shared.webhooks, { clock: overrides.clock ?? systemClock }) };
  const queue = webhookQueue(env, { ...overrides, sqs: overrides.sqs ?? traced(new SQSClient({})) });
  // A webhook.disabled notice goes where events go: the topic (local mode: its feed) and the tenant's other endpoints.
  const topic = overrides.notifier ?? new SnsNotifier(overrides.sns ?? traced(new SNSClient({})), required(env, ENV.topicArn));
  return {
    ...parts,
    webhookQueue: queue,
    notifier: new FanoutNotifier([topic, new WebhookFanout({ webhooks: parts.webhooks, webhookQueue: queue })]),
    retryBaseSeconds: parts.webhookSettings.retryBaseSeconds,
    clock: overrides.clock ?? systemClock,
    log,
    metrics,
    middlewares,
  };
}
