/** Dependencies of the API function. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { DynamoApiKeyStore } from '../adapters/dynamodb/api-key-store.ts';
import { CachedApiKeyStore } from '../adapters/cached-api-key-store.ts';
import { DynamoCampaignStore } from '../adapters/dynamodb/campaign-store.ts';
import { DynamoContactImportStore } from '../adapters/dynamodb/contact-import-store.ts';
import { DynamoContactStore } from '../adapters/dynamodb/contact-store.ts';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store.ts';
import { DynamoListStore } from '../adapters/dynamodb/list-store.ts';
import { DynamoMessageFeed } from '../adapters/dynamodb/message-feed.ts';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter.ts';
import { DynamoReportStore } from '../adapters/dynamodb/report-store.ts';
import { DynamoTemplateStore } from '../adapters/dynamodb/template-store.ts';
import { DynamoUnsubscribeStore } from '../adapters/dynamodb/unsubscribe-store.ts';
import { hasLinkKey, readLinkKey } from '../adapters/link-key.ts';
import { SqsCampaignQueue } from '../adapters/sqs/sqs-campaign-queue.ts';
import { SqsExportQueue } from '../adapters/sqs/sqs-export-queue.ts';
import { SqsImportQueue } from '../adapters/sqs/sqs-import-queue.ts';
import { apiKeyCacheMs, apiRateLimit, required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { ApiDeps } from '../handlers/api-handler.ts';
import { publicLinks } from '../handlers/public-links.ts';
import { CompiledTemplates } from '../use-cases/compiled-templates.ts';
import { systemClock } from '../ports/clock.ts';
import { EXPORT_RETENTION_DAYS, IMPORT_RETENTION_DAYS } from '../topology.ts';
import { attachmentDeps } from './attachments.ts';
import { blobStore } from './blobs.ts';
import { importBodyStore } from './import-bodies.ts';
import { domainContext, newMessageWriter, queue, sendingGate, stores, tenantContext, type WiringOverrides } from './common.ts';
import { deliveryScheduler } from './scheduler.ts';
import { functionTelemetry, traced } from './telemetry.ts';
import { wireSendingDomains } from './sending-domains.ts';
import { wireTenantAdmin } from './tenant-admin.ts';
import { webhookParts } from './webhooks.ts';
import { DynamoInboundRouteStore } from '../adapters/dynamodb/inbound-route-store.ts';
import { DynamoWebhookStore } from '../adapters/dynamodb/webhook-store.ts';
import { DynamoDomainStore } from '../adapters/dynamodb/domain-store.ts';

/**
 * The web console's build beside the function's bundle (`console/` next to index.mjs: the stack
 * copies it there); absent when not bundled (local mode serves it itself).
 */
function bundledConsole(): string | undefined {
  const folder = join(dirname(fileURLToPath(import.meta.url)), 'console');
  return existsSync(join(folder, 'index.html')) ? folder : undefined;
}

/** Dependencies of the API function. */
export function wireApi(env: Env, overrides: WiringOverrides = {}): ApiDeps {
  const { log, metrics, middlewares } = functionTelemetry('api', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  const clock = overrides.clock ?? systemClock;
  const sqs = overrides.sqs ?? traced(new SQSClient({}));
  // Messages due more than 15 minutes ahead (`send_at`): EventBridge Scheduler in AWS.
  const scheduler = deliveryScheduler(env, overrides);
  const attachments = attachmentDeps(env, overrides, dynamo, names);
  const newId = () => ulid();
  const consoleDist = bundledConsole();
  return {
    ...stores(env, dynamo, names),
    newMessages: newMessageWriter(env, dynamo, names),
    ...(consoleDist && { consoleDist }),
    feed: new DynamoMessageFeed(dynamo, { messages: names.messages, feed: names.feed }),
    queue: queue(env, sqs),
    ...(scheduler && { scheduler }),
    gate: sendingGate(env, dynamo, names, log),
    exports: new DynamoExportStore(dynamo, names.exports),
    exportQueue: new SqsExportQueue(sqs, required(env, ENV.exportQueueUrl)),
    campaignQueue: new SqsCampaignQueue(sqs, required(env, ENV.campaignQueueUrl)),
    rateLimiter: new DynamoRateLimiter(dynamo, names.rateLimits, apiRateLimit(env), clock),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    lists: new DynamoListStore(dynamo, names.lists),
    contacts: new DynamoContactStore(dynamo, names.contacts),
    // Contact imports too large to write within the request: stored, recorded and queued.
    imports: new DynamoContactImportStore(dynamo, names.imports),
    importBodies: importBodyStore(env, overrides),
    importQueue: new SqsImportQueue(sqs, required(env, ENV.importQueueUrl)),
    importRetentionDays: IMPORT_RETENTION_DAYS,
    campaigns: new DynamoCampaignStore(dynamo, names.campaigns),
    templates: new DynamoTemplateStore(dynamo, names.templates),
    compiledTemplates: new CompiledTemplates(),
    blobs: blobStore(env, overrides),
    exportRetentionDays: EXPORT_RETENTION_DAYS,
    apiKeys: new CachedApiKeyStore(new DynamoApiKeyStore(dynamo, names.apiKeys), { cacheMs: apiKeyCacheMs(env), clock }),
    idempotency: new DynamoIdempotencyStore(dynamo, names.idempotency),
    reports: new DynamoReportStore(dynamo, names.reports, { clock }),
    clock,
    newId,
    log,
    metrics,
    middlewares,
    // Webhook endpoints, their tests and delivery log.
    ...webhookParts(env, overrides, dynamo, names),
    // Inbound routes: addresses and domains whose mail is delivered to an endpoint.
    inboundRouting: {
      inboundRoutes: new DynamoInboundRouteStore(dynamo, names.webhooks),
      webhooks: new DynamoWebhookStore(dynamo, names.webhooks),
      domains: new DynamoDomainStore(dynamo, names.domains),
      clock,
      newId,
    },
    // The files of sends, and uploads of larger ones.
    ...(attachments && { attachments }),
    // Sending domains and, unless MAILROOM_VERIFIED_DOMAINS is off, the policy that refuses unverified senders.
    ...wireSendingDomains(env, domainContext(env, overrides, log)),
    // Tenants, SMTP credentials, tenants' relays and IP pools (the admin routes).
    ...wireTenantAdmin(env, tenantContext(overrides, dynamo, names, log)),
    // The key is read when first needed; MAILROOM_PUBLIC_URL when each link is made (local mode sets it once listening).
    ...(hasLinkKey(env) && {
      publicLinks: publicLinks(
        () => readLinkKey(env, overrides.secrets),
        () => env[ENV.publicUrl]?.trim() || undefined,
      ),
    }),
  };
}
