/**
 * The webhook parts several functions share: the endpoint store and delivery log, the queue of
 * tries, the HTTP sender with its address checks, and the key that seals secrets (the DKIM
 * key-encryption key). The api function registers endpoints and sends tests; the stream
 * function fans events out; the webhook function makes the tries.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { domainKeyOnce } from '../adapters/domain-key.ts';
import { DynamoWebhookDeliveryStore } from '../adapters/dynamodb/webhook-delivery-store.ts';
import { DynamoWebhookStore } from '../adapters/dynamodb/webhook-store.ts';
import { SystemHostResolver } from '../adapters/http/host-resolver.ts';
import { HttpWebhookSender } from '../adapters/http/webhook-sender.ts';
import { SqsWebhookQueue } from '../adapters/sqs/sqs-webhook-queue.ts';
import { required, webhookSettings, type TableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { WebhookDeliveryDeps } from '../use-cases/webhook-deliveries.ts';
import type { WiringOverrides } from './common.ts';

/** The endpoint routes' and the tries' dependencies, but for the clock and the ids the function has. */
export function webhookParts(
  env: Env,
  overrides: WiringOverrides,
  dynamo: DynamoDBClient,
  names: TableNames,
): Omit<WebhookDeliveryDeps, 'clock' | 'newId'> {
  const settings = webhookSettings(env);
  const hosts = new SystemHostResolver();
  return {
    webhooks: new DynamoWebhookStore(dynamo, names.webhooks),
    webhookDeliveries: new DynamoWebhookDeliveryStore(dynamo, names.webhooks),
    hosts,
    webhookSender: new HttpWebhookSender({ policy: settings.urlPolicy, resolver: hosts }),
    domainKey: domainKeyOnce(env, overrides.secrets),
    webhookSettings: settings,
  };
}

/** The queue of webhook tries (MAILROOM_WEBHOOK_QUEUE_URL). */
export function webhookQueue(env: Env, overrides: WiringOverrides): SqsWebhookQueue {
  return new SqsWebhookQueue(overrides.sqs ?? new SQSClient({}), required(env, ENV.webhookQueueUrl));
}
