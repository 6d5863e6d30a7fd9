/**
 * Builds each handler's dependencies from configuration: SDK clients, adapters, clock,
 * logger. The Lambda functions call it once at cold start; the local runtime calls it with
 * clients pointed at the emulators.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { DynamoApiKeyStore } from './adapters/dynamodb/api-key-store.ts';
import { DynamoEventStore } from './adapters/dynamodb/event-store.ts';
import { DynamoExportStore } from './adapters/dynamodb/export-store.ts';
import { DynamoIdempotencyStore } from './adapters/dynamodb/idempotency-store.ts';
import { DynamoMessageStore } from './adapters/dynamodb/message-store.ts';
import { DynamoMessageTimeline } from './adapters/dynamodb/message-timeline.ts';
import { DynamoReportStore } from './adapters/dynamodb/report-store.ts';
import { DynamoSoftBounceStore } from './adapters/dynamodb/soft-bounce-store.ts';
import { DynamoSuppressionStore } from './adapters/dynamodb/suppression-store.ts';
import { DynamoUnsubscribeStore } from './adapters/dynamodb/unsubscribe-store.ts';
import { S3BlobStore } from './adapters/s3/s3-blob-store.ts';
import { SesRelay } from './adapters/ses/ses-relay.ts';
import { SmtpRelay } from './adapters/smtp/smtp-relay.ts';
import { readSmtpUrlSecret } from './adapters/smtp/smtp-url-secret.ts';
import { SnsNotifier } from './adapters/sns/sns-notifier.ts';
import { SqsCampaignQueue } from './adapters/sqs/sqs-campaign-queue.ts';
import { SqsExportQueue } from './adapters/sqs/sqs-export-queue.ts';
import { SqsSendQueue } from './adapters/sqs/sqs-send-queue.ts';
import { maxReceiveCount, relayConfig, required, retentionDays, retryPolicy, softBouncePolicy, tableNames, type TableNames } from './config.ts';
import { ENV } from './env.ts';
import type { ApiDeps } from './handlers/api-handler.ts';
import type { DeliverHandlerDeps } from './handlers/deliver-handler.ts';
import type { ExportHandlerDeps } from './handlers/export-handler.ts';
import type { BlobStore } from './ports/blob-store.ts';
import { systemClock, type Clock } from './ports/clock.ts';
import type { Log } from './ports/logger.ts';
import type { MailRelay } from './ports/mail-relay.ts';
import type { Notifier } from './ports/notifier.ts';
import type { RecordEventsDeps } from './use-cases/record-events.ts';
import type { RecordSesEventDeps } from './use-cases/record-ses-event.ts';
import { DELIVERY_LEASE_MS, EXPORT_QUEUE, EXPORT_RETENTION_DAYS, SEND_QUEUE } from './topology.ts';

type Env = Record<string, string | undefined>;

/** What a caller may supply instead of the defaults (the local runtime and tests do). */
export interface WiringOverrides {
  dynamo?: DynamoDBClient;
  sqs?: SQSClient;
  ses?: SESv2Client;
  sns?: SNSClient;
  secrets?: SecretsManagerClient;
  s3?: S3Client;
  /** Where export files go (local mode: a folder); else the S3 bucket of MAILROOM_EXPORT_BUCKET. */
  blobs?: BlobStore;
  relay?: MailRelay;
  notifier?: Notifier;
  clock?: Clock;
  log?: Log;
}

/** The service's logger: structured JSON, level from POWERTOOLS_LOG_LEVEL. */
export function createLogger(name: string): Log {
  const logger = new Logger({ serviceName: 'mailroom', persistentKeys: { function: name } });
  const level = (write: (message: string, ...extra: [Record<string, unknown>] | []) => void) => (message: string, extra?: Record<string, unknown>) =>
    extra ? write(message, extra) : write(message);
  return {
    debug: level(logger.debug.bind(logger)),
    info: level(logger.info.bind(logger)),
    warn: level(logger.warn.bind(logger)),
    error: level(logger.error.bind(logger)),
  };
}

function stores(env: Env, dynamo: DynamoDBClient, names: TableNames) {
  const retention = { retentionDays: retentionDays(env) };
  return {
    messages: new DynamoMessageStore(dynamo, names.messages, retention),
    events: new DynamoEventStore(dynamo, names.events, retention),
    suppressions: new DynamoSuppressionStore(dynamo, names.suppressions),
  };
}

function blobStore(env: Env, overrides: WiringOverrides): BlobStore {
  return overrides.blobs ?? new S3BlobStore(overrides.s3 ?? new S3Client({}), required(env, ENV.exportBucket));
}

function queue(env: Env, sqs: SQSClient): SqsSendQueue {
  return new SqsSendQueue(sqs, required(env, ENV.sendQueueUrl), required(env, ENV.deadLetterQueueUrl));
}

/** Dependencies of the API function. */
export function wireApi(env: Env, overrides: WiringOverrides = {}): ApiDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const clock = overrides.clock ?? systemClock;
  const sqs = overrides.sqs ?? new SQSClient({});
  return {
    ...stores(env, dynamo, names),
    queue: queue(env, sqs),
    exports: new DynamoExportStore(dynamo, names.exports),
    exportQueue: new SqsExportQueue(sqs, required(env, ENV.exportQueueUrl)),
    campaignQueue: new SqsCampaignQueue(sqs, required(env, ENV.campaignQueueUrl)),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    blobs: blobStore(env, overrides),
    exportRetentionDays: EXPORT_RETENTION_DAYS,
    apiKeys: new DynamoApiKeyStore(dynamo, names.apiKeys),
    idempotency: new DynamoIdempotencyStore(dynamo, names.idempotency),
    reports: new DynamoReportStore(dynamo, names.reports, { clock }),
    clock,
    newId: () => ulid(),
    log: overrides.log ?? createLogger('api'),
  };
}

/** The relay chosen by configuration: SES, an SMTP URL, or an SMTP URL kept in Secrets Manager. */
export async function createRelay(env: Env, overrides: WiringOverrides = {}): Promise<MailRelay> {
  if (overrides.relay) return overrides.relay;
  const relay = relayConfig(env);
  switch (relay.kind) {
    case 'ses':
      return new SesRelay(overrides.ses ?? new SESv2Client({}), { configurationSetName: relay.configurationSet });
    case 'smtp':
      return new SmtpRelay(relay.url);
    case 'smtp-secret':
      return new SmtpRelay(await readSmtpUrlSecret(overrides.secrets ?? new SecretsManagerClient({}), relay.secretArn));
  }
}

/** Dependencies of the delivery function. */
export async function wireDeliver(env: Env, overrides: WiringOverrides = {}): Promise<DeliverHandlerDeps> {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  return {
    ...stores(env, dynamo, names),
    queue: queue(env, overrides.sqs ?? new SQSClient({})),
    relay: await createRelay(env, overrides),
    clock: overrides.clock ?? systemClock,
    retry: retryPolicy(env),
    leaseMs: DELIVERY_LEASE_MS,
    maxDelaySeconds: SEND_QUEUE.maxDelaySeconds,
    softBounces: new DynamoSoftBounceStore(dynamo, names.softBounces),
    softBouncePolicy: softBouncePolicy(env),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    maxReceiveCount: maxReceiveCount(env),
    log: overrides.log ?? createLogger('deliver'),
  };
}

/** Dependencies of the events-stream function. */
export function wireStream(env: Env, overrides: WiringOverrides = {}): RecordEventsDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  return {
    reports: new DynamoReportStore(dynamo, names.reports, overrides.clock ? { clock: overrides.clock } : {}),
    notifier: overrides.notifier ?? new SnsNotifier(overrides.sns ?? new SNSClient({}), required(env, ENV.topicArn)),
    log: overrides.log ?? createLogger('stream'),
  };
}

/** Dependencies of the export function. */
export function wireExport(env: Env, overrides: WiringOverrides = {}): ExportHandlerDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const { messages, events } = stores(env, dynamo, names);
  return {
    exports: new DynamoExportStore(dynamo, names.exports),
    timeline: new DynamoMessageTimeline(dynamo, names.messages),
    messages,
    events,
    blobs: blobStore(env, overrides),
    clock: overrides.clock ?? systemClock,
    maxReceiveCount: EXPORT_QUEUE.maxReceiveCount,
    log: overrides.log ?? createLogger('export'),
  };
}

/** Dependencies of the SES events function. */
export function wireSesEvents(env: Env, overrides: WiringOverrides = {}): RecordSesEventDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const { messages, events, suppressions } = stores(env, dynamo, names);
  return {
    messages,
    events,
    suppressions,
    softBounces: new DynamoSoftBounceStore(dynamo, names.softBounces),
    softBouncePolicy: softBouncePolicy(env),
    clock: overrides.clock ?? systemClock,
    log: overrides.log ?? createLogger('ses-events'),
  };
}
