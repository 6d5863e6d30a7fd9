/** Dependencies of the stream function (daily counters, notifications and webhooks, reputation breaker), fed by the events and messages tables' streams. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { streamRecordEvents } from '../adapters/dynamodb/stream-records.ts';
import { DynamoReportStore } from '../adapters/dynamodb/report-store.ts';
import { DynamoTenantStore } from '../adapters/dynamodb/tenant-store.ts';
import { DynamoWebhookStore } from '../adapters/dynamodb/webhook-store.ts';
import { FanoutNotifier } from '../adapters/fanout-notifier.ts';
import { SnsNotifier } from '../adapters/sns/sns-notifier.ts';
import { SqsWebhookQueue } from '../adapters/sqs/sqs-webhook-queue.ts';
import { reputationPolicy, required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import type { StreamHandlerDeps } from '../handlers/stream-handler.ts';
import { WebhookFanout } from '../use-cases/webhook-fanout.ts';
import type { WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';

/** Dependencies of the events-stream function. */
export function wireStream(env: Env, overrides: WiringOverrides = {}): StreamHandlerDeps {
  const { log, metrics, middlewares } = functionTelemetry('stream', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  const reports = new DynamoReportStore(dynamo, names.reports, overrides.clock ? { clock: overrides.clock } : {});
  const topic = overrides.notifier ?? new SnsNotifier(overrides.sns ?? traced(new SNSClient({})), required(env, ENV.topicArn));
  // Each event goes to the topic and, as a first try on the webhook queue, to every endpoint of
  // its tenant that wants it: one step, so a batch that fails either is handed over again.
  const webhooks = new WebhookFanout({
    webhooks: new DynamoWebhookStore(dynamo, names.webhooks),
    webhookQueue: new SqsWebhookQueue(overrides.sqs ?? traced(new SQSClient({})), required(env, ENV.webhookQueueUrl)),
  });
  const notifier = new FanoutNotifier([topic, webhooks]);
  const breaker = {
    tenants: new DynamoTenantStore(dynamo, names.tenants),
    counters: reports,
    notifier,
    policy: reputationPolicy(env),
    clock: overrides.clock ?? systemClock,
    log,
    metrics,
  };
  return { reports, notifier, log, breaker, metrics, middlewares, eventsOf: streamRecordEvents };
}
