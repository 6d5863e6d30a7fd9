/**
 * Builds each handler's dependencies from configuration: SDK clients, adapters, clock,
 * logger. The Lambda functions call it once at cold start; the local runtime calls it with
 * clients pointed at the emulators.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { DynamoApiKeyStore } from './adapters/dynamodb/api-key-store.ts';
import { DynamoContactStore } from './adapters/dynamodb/contact-store.ts';
import { DynamoListStore } from './adapters/dynamodb/list-store.ts';
import { DynamoEventStore } from './adapters/dynamodb/event-store.ts';
import { DynamoExportStore } from './adapters/dynamodb/export-store.ts';
import { DynamoIdempotencyStore } from './adapters/dynamodb/idempotency-store.ts';
import { DynamoMessageStore } from './adapters/dynamodb/message-store.ts';
import { DynamoMessageTimeline } from './adapters/dynamodb/message-timeline.ts';
import { DynamoReportStore } from './adapters/dynamodb/report-store.ts';
import { DynamoSoftBounceStore } from './adapters/dynamodb/soft-bounce-store.ts';
import { DynamoSuppressionStore } from './adapters/dynamodb/suppression-store.ts';
import { DynamoUnsubscribeStore } from './adapters/dynamodb/unsubscribe-store.ts';
import { DynamoPacer, DynamoRateLimiter } from './adapters/dynamodb/rate-limiter.ts';
import { DynamoTenantStore } from './adapters/dynamodb/tenant-store.ts';
import { TenantSendingGate } from './use-cases/sending-gate.ts';
import { hasLinkKey, readLinkKey } from './adapters/link-key.ts';
import { wireSendingDomains, withDkimSigning, type SendingDomainsContext } from './adapters/sending-domains.ts';
import { wireTenantAdmin, withTenantRelays, type TenantContext } from './adapters/tenant-admin.ts';
import type { SecretStore } from './ports/secret-store.ts';
import { S3BlobStore } from './adapters/s3/s3-blob-store.ts';
import { S3RawMessageStore } from './adapters/s3/s3-raw-message-store.ts';
import { DynamoSmtpCredentialStore } from './adapters/dynamodb/smtp-credential-store.ts';
import { SmtpCredentialAuthenticator } from './use-cases/smtp-credentials.ts';
import type { SmtpServiceDeps } from './smtp/session.ts';
import type { RawMessageStore } from './ports/raw-message-store.ts';
import { SesRelay } from './adapters/ses/ses-relay.ts';
import { SmtpRelay } from './adapters/smtp/smtp-relay.ts';
import { readSmtpUrlSecret } from './adapters/smtp/smtp-url-secret.ts';
import { SnsNotifier } from './adapters/sns/sns-notifier.ts';
import { SqsCampaignQueue } from './adapters/sqs/sqs-campaign-queue.ts';
import { SqsExportQueue } from './adapters/sqs/sqs-export-queue.ts';
import { SqsSendQueue } from './adapters/sqs/sqs-send-queue.ts';
import { apiRateLimit, maxReceiveCount, relayConfig, relayMaxRate, reputationPolicy, required, sendingStateCacheMs, retentionDays, retryPolicy, softBouncePolicy, tableNames, type TableNames } from './config.ts';
import { ENV } from './env.ts';
import type { ApiDeps } from './handlers/api-handler.ts';
import type { DeliverHandlerDeps } from './handlers/deliver-handler.ts';
import { publicLinks } from './handlers/public-links.ts';
import type { TrackHandlerDeps } from './handlers/track-handler.ts';
import { createLinkSigner } from './domain/links.ts';
import type { ExportHandlerDeps } from './handlers/export-handler.ts';
import type { CampaignHandlerDeps } from './handlers/campaign-handler.ts';
import { DynamoCampaignStore } from './adapters/dynamodb/campaign-store.ts';
import { DynamoMessageBatchWriter } from './adapters/dynamodb/message-batch-writer.ts';
import { CAMPAIGN_QUEUE, CAMPAIGN_RESERVE_MS, FUNCTIONS } from './topology.ts';
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
  /** Where messages submitted over SMTP are kept (local mode: a folder); else the S3 bucket of MAILROOM_RAW_MESSAGE_BUCKET. */
  rawMessages?: RawMessageStore;
  /** Where tenants' own relay URLs are kept (local mode: a folder); else Secrets Manager. */
  tenantSecrets?: SecretStore;
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

/** The gate that holds back tenants whose sending is paused (reputation breaker, operator). */
function sendingGate(env: Env, dynamo: DynamoDBClient, names: TableNames, log: Log): TenantSendingGate {
  return new TenantSendingGate(new DynamoTenantStore(dynamo, names.tenants), { cacheMs: sendingStateCacheMs(env), log });
}

/** The store of messages submitted over SMTP, when there is one (the S3 bucket, or the caller's). */
function rawMessages(env: Env, overrides: WiringOverrides): RawMessageStore | undefined {
  if (overrides.rawMessages) return overrides.rawMessages;
  const bucket = env[ENV.rawMessageBucket]?.trim();
  return bucket ? new S3RawMessageStore(overrides.s3 ?? new S3Client({}), bucket) : undefined;
}

/** What the sending-domain parts of a function are built from (the domains table, clients, clock, log). */
function domainContext(env: Env, overrides: WiringOverrides, log: Log): SendingDomainsContext {
  const { dynamo, secrets, ses } = overrides;
  return { dynamo: dynamo ?? new DynamoDBClient({}), tableName: required(env, ENV.domainsTable), ...(secrets && { secrets }), ...(ses && { ses }), clock: overrides.clock ?? systemClock, log };
}

/** What the tenant parts of a function are built from (tenant and SMTP credential tables, secrets). */
function tenantContext(overrides: WiringOverrides, dynamo: DynamoDBClient, names: TableNames, log: Log): TenantContext {
  const { secrets, tenantSecrets } = overrides;
  return { dynamo, tables: { tenants: names.tenants, smtpCredentials: names.smtpCredentials }, ...(secrets && { secrets }), ...(tenantSecrets && { tenantSecrets }), clock: overrides.clock ?? systemClock, log };
}

function withRawMessages(env: Env, overrides: WiringOverrides): { rawMessages?: RawMessageStore } {
  const store = rawMessages(env, overrides);
  return store ? { rawMessages: store } : {};
}

function blobStore(env: Env, overrides: WiringOverrides): BlobStore {
  return overrides.blobs ?? new S3BlobStore(overrides.s3 ?? new S3Client({}), required(env, ENV.exportBucket));
}

function queue(env: Env, sqs: SQSClient): SqsSendQueue {
  const bulkQueueUrl = env[ENV.bulkSendQueueUrl]?.trim();
  return new SqsSendQueue(sqs, required(env, ENV.sendQueueUrl), required(env, ENV.deadLetterQueueUrl), bulkQueueUrl ? { bulkQueueUrl } : {});
}

/**
 * The relay's rate to pace delivery to: configured, or for SES the account's MaxSendRate
 * (asked once per container); undefined when delivery is not paced.
 */
async function relayRate(env: Env, overrides: WiringOverrides, log: Log): Promise<number | undefined> {
  const configured = relayMaxRate(env);
  if (configured !== undefined) return configured > 0 ? configured : undefined;
  if (relayConfig(env).kind !== 'ses') return undefined;
  try {
    const account = await (overrides.ses ?? new SESv2Client({})).send(new GetAccountCommand({}));
    const rate = Math.floor(account.SendQuota?.MaxSendRate ?? 0);
    return rate > 0 ? rate : undefined;
  } catch (error) {
    log.warn('SES send quota unavailable; delivery is not paced', { error: String(error) });
    return undefined;
  }
}

/** Dependencies of the API function. */
export function wireApi(env: Env, overrides: WiringOverrides = {}): ApiDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const clock = overrides.clock ?? systemClock;
  const sqs = overrides.sqs ?? new SQSClient({});
  const log = overrides.log ?? createLogger('api');
  return {
    ...stores(env, dynamo, names),
    queue: queue(env, sqs),
    gate: sendingGate(env, dynamo, names, log),
    exports: new DynamoExportStore(dynamo, names.exports),
    exportQueue: new SqsExportQueue(sqs, required(env, ENV.exportQueueUrl)),
    campaignQueue: new SqsCampaignQueue(sqs, required(env, ENV.campaignQueueUrl)),
    rateLimiter: new DynamoRateLimiter(dynamo, names.rateLimits, apiRateLimit(env), clock),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    lists: new DynamoListStore(dynamo, names.lists),
    contacts: new DynamoContactStore(dynamo, names.contacts),
    campaigns: new DynamoCampaignStore(dynamo, names.campaigns),
    blobs: blobStore(env, overrides),
    exportRetentionDays: EXPORT_RETENTION_DAYS,
    apiKeys: new DynamoApiKeyStore(dynamo, names.apiKeys),
    idempotency: new DynamoIdempotencyStore(dynamo, names.idempotency),
    reports: new DynamoReportStore(dynamo, names.reports, { clock }),
    clock,
    newId: () => ulid(),
    log,
    // Sending domains and, unless MAILROOM_VERIFIED_DOMAINS is off, the policy that refuses unverified senders.
    ...wireSendingDomains(env, domainContext(env, overrides, log)),
    // Tenants, SMTP credentials, tenants' relays and IP pools (the admin routes).
    ...wireTenantAdmin(env, tenantContext(overrides, dynamo, names, log)),
    // The key is read when first needed; MAILROOM_PUBLIC_URL when each link is made (local mode sets it once listening).
    ...(hasLinkKey(env) && { publicLinks: publicLinks(() => readLinkKey(env, overrides.secrets), () => env[ENV.publicUrl]?.trim() || undefined) }),
  };
}

/** Dependencies of the track function (the public link routes); reads the link-signing key. */
export async function wireTrack(env: Env, overrides: WiringOverrides = {}): Promise<TrackHandlerDeps> {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const { messages, events } = stores(env, dynamo, names);
  return {
    signer: createLinkSigner(await readLinkKey(env, overrides.secrets)),
    messages,
    events,
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    contacts: new DynamoContactStore(dynamo, names.contacts),
    lists: new DynamoListStore(dynamo, names.lists),
    clock: overrides.clock ?? systemClock,
    newId: () => ulid(),
    log: overrides.log ?? createLogger('track'),
  };
}

/**
 * The relay chosen by configuration: SES, an SMTP URL, or an SMTP URL kept in Secrets Manager.
 * SMTP relays DKIM-sign with the keys mailroom made for sending domains; SES signs itself (Easy DKIM).
 */
export async function createRelay(env: Env, overrides: WiringOverrides = {}): Promise<MailRelay> {
  if (overrides.relay) return overrides.relay;
  const relay = relayConfig(env);
  const signed = (smtp: MailRelay) => withDkimSigning(env, smtp, domainContext(env, overrides, overrides.log ?? createLogger('deliver')));
  switch (relay.kind) {
    case 'ses':
      return new SesRelay(overrides.ses ?? new SESv2Client({}), { configurationSetName: relay.configurationSet });
    case 'smtp':
      return signed(new SmtpRelay(relay.url));
    case 'smtp-secret':
      return signed(new SmtpRelay(await readSmtpUrlSecret(overrides.secrets ?? new SecretsManagerClient({}), relay.secretArn)));
  }
}

/** Dependencies of the delivery function. */
export async function wireDeliver(env: Env, overrides: WiringOverrides = {}): Promise<DeliverHandlerDeps> {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const log = overrides.log ?? createLogger('deliver');
  const rate = await relayRate(env, overrides, log);
  return {
    ...stores(env, dynamo, names),
    queue: queue(env, overrides.sqs ?? new SQSClient({})),
    // Each tenant's own relay (SMTP URL secret, SES configuration set, dedicated IP pool), else the deployment's.
    relay: withTenantRelays(env, await createRelay(env, overrides), {
      ...tenantContext(overrides, dynamo, names, log),
      ...(overrides.ses && { ses: overrides.ses }),
      smtpRelayFor: (url) => withDkimSigning(env, new SmtpRelay(url, { log }), domainContext(env, { ...overrides, dynamo }, log)),
    }),
    clock: overrides.clock ?? systemClock,
    retry: retryPolicy(env),
    leaseMs: DELIVERY_LEASE_MS,
    maxDelaySeconds: SEND_QUEUE.maxDelaySeconds,
    softBounces: new DynamoSoftBounceStore(dynamo, names.softBounces),
    softBouncePolicy: softBouncePolicy(env),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    ...(rate && { pacer: new DynamoPacer(dynamo, names.rateLimits, rate, overrides.clock ?? systemClock) }),
    gate: sendingGate(env, dynamo, names, log),
    ...withRawMessages(env, overrides),
    maxReceiveCount: maxReceiveCount(env),
    log,
  };
}

/** Dependencies of the events-stream function. */
export function wireStream(env: Env, overrides: WiringOverrides = {}): RecordEventsDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const reports = new DynamoReportStore(dynamo, names.reports, overrides.clock ? { clock: overrides.clock } : {});
  const notifier = overrides.notifier ?? new SnsNotifier(overrides.sns ?? new SNSClient({}), required(env, ENV.topicArn));
  const log = overrides.log ?? createLogger('stream');
  const breaker = {
    tenants: new DynamoTenantStore(dynamo, names.tenants),
    counters: reports,
    notifier,
    policy: reputationPolicy(env),
    clock: overrides.clock ?? systemClock,
    log,
  };
  return { reports, notifier, log, breaker };
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

/** Dependencies of the campaign function (fan-out, list clean-up); reads the link-signing key. */
export async function wireCampaign(env: Env, overrides: WiringOverrides = {}): Promise<CampaignHandlerDeps> {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const sqs = overrides.sqs ?? new SQSClient({});
  const mailto = env[ENV.unsubscribeMailto]?.trim();
  const log = overrides.log ?? createLogger('campaign');
  return {
    ...stores(env, dynamo, names),
    gate: sendingGate(env, dynamo, names, log),
    queue: queue(env, sqs),
    batchWriter: new DynamoMessageBatchWriter(dynamo, { messages: names.messages, events: names.events }, { retentionDays: retentionDays(env) }),
    campaigns: new DynamoCampaignStore(dynamo, names.campaigns),
    lists: new DynamoListStore(dynamo, names.lists),
    contacts: new DynamoContactStore(dynamo, names.contacts),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    campaignQueue: new SqsCampaignQueue(sqs, required(env, ENV.campaignQueueUrl)),
    signer: createLinkSigner(await readLinkKey(env, overrides.secrets)),
    ...(mailto && { unsubscribeMailto: mailto }),
    // A page is held for as long as a run can live: no other run may take it while this one might still write.
    pageLeaseMs: FUNCTIONS.campaign.timeoutSeconds * 1000,
    maxReceiveCount: CAMPAIGN_QUEUE.maxReceiveCount,
    reserveMs: CAMPAIGN_RESERVE_MS,
    clock: overrides.clock ?? systemClock,
    newId: () => ulid(),
    log,
  };
}

/**
 * Dependencies of the SMTP submission service (bin/smtp-server.ts, local mode): the stores
 * and queue of accepting mail, the raw message store, SMTP credentials, the sending gate and
 * the tenant's rate limit (the API's, shared).
 */
export function wireSmtp(env: Env, overrides: WiringOverrides = {}): SmtpServiceDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger('smtp');
  const raw = rawMessages(env, overrides);
  if (!raw) required(env, ENV.rawMessageBucket);
  // Unless MAILROOM_VERIFIED_DOMAINS is off, senders (MAIL FROM and From) must be of verified domains.
  const { senders } = wireSendingDomains(env, domainContext(env, { ...overrides, dynamo }, log));
  return {
    ...stores(env, dynamo, names),
    ...(senders && { senders }),
    queue: queue(env, overrides.sqs ?? new SQSClient({})),
    rawMessages: raw!,
    authenticator: new SmtpCredentialAuthenticator(new DynamoSmtpCredentialStore(dynamo, names.smtpCredentials)),
    gate: sendingGate(env, dynamo, names, log),
    rateLimiter: new DynamoRateLimiter(dynamo, names.rateLimits, apiRateLimit(env), clock),
    clock,
    newId: () => ulid(),
    log,
  };
}
