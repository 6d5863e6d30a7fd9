/**
 * What every function's wiring shares: the overrides a caller may pass, the logger, the
 * message, event and suppression stores, the sending gate, the send queue and the contexts of
 * the tenant and sending-domain parts. It builds DynamoDB and SQS clients only; the other
 * SDK clients are built by the function modules that use them, so that a function's bundle
 * holds only the clients it calls.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoEventStore } from '../adapters/dynamodb/event-store.ts';
import type { CoalesceWindow } from '../adapters/dynamodb/coalesce.ts';
import { DynamoMessageBatchWriter } from '../adapters/dynamodb/message-batch-writer.ts';
import { DynamoMessageStore } from '../adapters/dynamodb/message-store.ts';
import { DynamoSoftBounceStore } from '../adapters/dynamodb/soft-bounce-store.ts';
import { DynamoSuppressionStore } from '../adapters/dynamodb/suppression-store.ts';
import { DynamoTenantStore } from '../adapters/dynamodb/tenant-store.ts';
import { SqsSendQueue } from '../adapters/sqs/sqs-send-queue.ts';
import { required, retentionDays, sendingStateCacheMs, softBouncePolicy, type TableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { AttachmentStore } from '../ports/attachment-store.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { ImportBodyStore } from '../ports/import-body-store.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { DeliveryScheduler } from '../ports/delivery-scheduler.ts';
import type { Log } from '../ports/logger.ts';
import type { MailRelay } from '../ports/mail-relay.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { RawMessageStore } from '../ports/raw-message-store.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import { TenantSendingGate } from '../use-cases/sending-gate.ts';
import type { SendingDomainsContext } from './sending-domains.ts';
import { logOf, powertoolsLogger, traced } from './telemetry.ts';
import type { TenantContext } from './tenant-admin.ts';

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
  /** Where the bodies of contact imports wait for the import function (local mode: a folder); else the S3 bucket of MAILROOM_IMPORT_BUCKET. */
  importBodies?: ImportBodyStore;
  relay?: MailRelay;
  /** Where messages submitted over SMTP are kept (local mode: a folder); else the S3 bucket of MAILROOM_RAW_MESSAGE_BUCKET. */
  rawMessages?: RawMessageStore;
  /** Where the bytes of attachments are kept (local mode: a folder); else the S3 bucket of MAILROOM_ATTACHMENT_BUCKET. */
  attachments?: AttachmentStore;
  /** Where tenants' own relay URLs are kept (local mode: a folder); else Secrets Manager. */
  tenantSecrets?: SecretStore;
  notifier?: Notifier;
  /** One-time schedules of messages due later (local mode: a folder); else EventBridge Scheduler. */
  scheduler?: DeliveryScheduler;
  clock?: Clock;
  /** The log (local mode, tests); else the function's Powertools logger, with the Lambda context in each line. */
  log?: Log;
  /** Where metrics go; else EMF in Lambda, or the log when the caller brings its own. */
  metrics?: Metrics;
}

/** The service's logger for `name` (a function, local mode, a tool): structured JSON, level from POWERTOOLS_LOG_LEVEL. */
export function createLogger(name: string): Log {
  return logOf(powertoolsLogger(name));
}

/**
 * The message, event and suppression stores most functions use. `coalesce`: suppression
 * lookups and fresh event appends made within that window of each other share their DynamoDB
 * requests (for a function that runs a batch's jobs side by side).
 */
export function stores(env: Env, dynamo: DynamoDBClient, names: TableNames, options: { coalesce?: CoalesceWindow } = {}) {
  const retention = { retentionDays: retentionDays(env) };
  const coalesce = options.coalesce ? { coalesce: options.coalesce } : {};
  return {
    // The feed table only receives the lookup entries of messages this function creates.
    messages: new DynamoMessageStore(dynamo, names.messages, { ...retention, feedTable: names.feed }),
    events: new DynamoEventStore(dynamo, names.events, { ...retention, ...coalesce }),
    suppressions: new DynamoSuppressionStore(dynamo, names.suppressions, coalesce),
  };
}

/** Writes messages that cannot exist yet (fresh ids, a campaign's new page) with their events, in as few requests as DynamoDB allows. */
export function newMessageWriter(env: Env, dynamo: DynamoDBClient, names: TableNames): DynamoMessageBatchWriter {
  return new DynamoMessageBatchWriter(
    dynamo,
    { messages: names.messages, events: names.events, feed: names.feed },
    { retentionDays: retentionDays(env) },
  );
}

/**
 * The stores that recording what became of messages writes (delivery attempts, and
 * record-reported-events.ts: SES's events and returned mail): {@link stores}, soft bounces and
 * their policy.
 */
export function outcomeStores(env: Env, dynamo: DynamoDBClient, names: TableNames, options: { coalesce?: CoalesceWindow } = {}) {
  return {
    ...stores(env, dynamo, names, options),
    softBounces: new DynamoSoftBounceStore(dynamo, names.softBounces),
    softBouncePolicy: softBouncePolicy(env),
  };
}

/** The gate that holds back tenants whose sending is paused (reputation breaker, operator). */
export function sendingGate(env: Env, dynamo: DynamoDBClient, names: TableNames, log: Log): TenantSendingGate {
  return new TenantSendingGate(new DynamoTenantStore(dynamo, names.tenants), { cacheMs: sendingStateCacheMs(env), log });
}

/** The send queue (and the bulk queue when configured). */
export function queue(env: Env, sqs: SQSClient): SqsSendQueue {
  const bulkQueueUrl = env[ENV.bulkSendQueueUrl]?.trim();
  return new SqsSendQueue(
    sqs,
    required(env, ENV.sendQueueUrl),
    required(env, ENV.deadLetterQueueUrl),
    bulkQueueUrl ? { bulkQueueUrl } : {},
  );
}

/** What the sending-domain parts of a function are built from (the domains table, clients, clock, log). */
export function domainContext(env: Env, overrides: WiringOverrides, log: Log): SendingDomainsContext {
  const { dynamo, secrets, ses } = overrides;
  return {
    dynamo: dynamo ?? traced(new DynamoDBClient({})),
    tableName: required(env, ENV.domainsTable),
    ...(secrets && { secrets }),
    ...(ses && { ses }),
    clock: overrides.clock ?? systemClock,
    log,
  };
}

/** What the tenant parts of a function are built from (tenant and SMTP credential tables, secrets). */
export function tenantContext(overrides: WiringOverrides, dynamo: DynamoDBClient, names: TableNames, log: Log): TenantContext {
  const { secrets, tenantSecrets } = overrides;
  return {
    dynamo,
    tables: { tenants: names.tenants, smtpCredentials: names.smtpCredentials },
    ...(secrets && { secrets }),
    ...(tenantSecrets && { tenantSecrets }),
    clock: overrides.clock ?? systemClock,
    log,
  };
}
