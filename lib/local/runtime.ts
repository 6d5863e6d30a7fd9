/**
 * mailroom on one machine: DynamoDB Local, the SQS emulator, the capture relay, the HTTP
 * server (API, public links, mailbox, export downloads, SES events), the SMTP submission
 * service when asked, and pollers that feed the same handlers the Lambda functions export
 * (deliver, export, campaign, import, stream), with the event shapes Lambda would give them,
 * as the topology's event sources say.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoApiKeyStore } from '../adapters/dynamodb/api-key-store.ts';
import { LogNotifier } from '../adapters/sns/log-notifier.ts';
import { ENV, type Env } from '../env.ts';
import { createApiHandler } from '../handlers/api-handler.ts';
import { createDeliverHandler } from '../handlers/deliver-handler.ts';
import { createExportHandler } from '../handlers/export-handler.ts';
import { createCampaignHandler } from '../handlers/campaign-handler.ts';
import { createImportHandler } from '../handlers/import-handler.ts';
import { SqsExportQueue } from '../adapters/sqs/sqs-export-queue.ts';
import { createSesEventsHandler } from '../handlers/ses-events-handler.ts';
import { createStreamHandler } from '../handlers/stream-handler.ts';
import { createWebhookHandler } from '../handlers/webhook-handler.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { FolderDeliveryScheduler } from '../adapters/fs/folder-delivery-scheduler.ts';
import { SqsSendQueue } from '../adapters/sqs/sqs-send-queue.ts';
import type { Log } from '../ports/logger.ts';
import {
  EVENT_SOURCES,
  FUNCTIONS,
  SQS_EVENT_SOURCES,
  STREAM_SOURCES,
  TABLE_ENV,
  type FunctionName,
  type SourceQueue,
  type TableName,
} from '../topology.ts';
import {
  createLogger,
  createRelay,
  wireApi,
  wireCampaign,
  wireDeliver,
  wireExport,
  wireImport,
  wireInbound,
  wireSesEvents,
  wireSmtp,
  wireStream,
  wireTrack,
  wireWebhook,
} from '../wiring.ts';
import { createTrackHandler } from '../handlers/track-handler.ts';
import { localDomainKeySecret, localLinkSecret } from './key-secrets.ts';
import { FolderSecretStore, MemorySecretStore } from '../adapters/secrets/folder-secret-store.ts';
import { DynamoTenantStore } from '../adapters/dynamodb/tenant-store.ts';
import { ConflictError } from '../domain/errors.ts';
import {
  EMULATOR_CREDENTIALS,
  emulatorClientConfig,
  leanEmulatorClient,
  LOCAL_REGION,
  localClientConfig,
  type LocalCredentials,
} from './aws.ts';
import { startCaptureSmtp, type CaptureSmtp } from './capture-smtp.ts';
import { startInboundSmtp, type InboundSmtp } from '../smtp/inbound-server.ts';
import { createTables, localTableNames } from './create-tables.ts';
import { migrateSuppressions } from '../adapters/dynamodb/suppression-migration.ts';
import { migrateUnsubscribes } from '../adapters/dynamodb/unsubscribe-migration.ts';
import { devKey, recordDevKey } from './dev-key.ts';
import { startDataFolderDynamoDb } from './dynamodb-local.ts';
import { relayKind, relayStaysLocal, removeLocalEndpoints, writeLocalEndpoints } from './endpoints.ts';
import { startHttpServer } from './http-server.ts';
import { CONSOLE_DIST } from './console-build.ts';
import { requeuePending } from './recover.ts';
import { localExports } from './export-downloads.ts';
import { localAttachments } from './attachment-uploads.ts';
import { retentionDays, returnPathConfig } from '../config.ts';
import { createBulkSendQueue } from './bulk-send-queue.ts';
import { createCampaignQueues, createExportQueues, createImportQueues, createWebhookQueues } from './export-queues.ts';
import { requeueExports } from './recover-exports.ts';
import { requeueCampaigns } from './recover-campaigns.ts';
import { requeueImports } from './recover-imports.ts';
import { localImportBodies } from './import-bodies.ts';
import { SqsCampaignQueue } from '../adapters/sqs/sqs-campaign-queue.ts';
import { NOTIFICATIONS_FILE, NotificationHistoryFile } from './notification-history.ts';
import { SqsImportQueue } from '../adapters/sqs/sqs-import-queue.ts';
import { SqsWebhookQueue } from '../adapters/sqs/sqs-webhook-queue.ts';
import { requeueWebhookRetries } from './recover-webhooks.ts';
import { createSendQueues, startSqsLocal } from './sqs-local.ts';
import { waitUntilIdle } from './idle.ts';
import { QueueSignal } from './queue-signal.ts';
import { startSqsPoller, type Poller, type SqsHandler, type SqsPoller } from './sqs-poller.ts';
import { startStreamPoller, streamFilter, type StreamPoller } from './stream-poller.ts';
import { localRawMessages } from './smtp-raw-messages.ts';
import { startLocalSmtp, type LocalSmtp } from './smtp-service.ts';
import type { SmtpTls } from '../smtp/server.ts';

/** The dev tenant that local mode creates. */
export const DEV_TENANT = 'dev';

export interface LocalOptions {
  /** Folder for DynamoDB data, captured mail and the generated key; in memory when absent. */
  dataDir?: string;
  /** API port; 0 picks a free one. */
  port: number;
  /** The dev tenant's key; generated (and kept in the data folder) when absent. */
  apiKey?: string;
  /** `capture`, an SMTP URL, or `ses`. */
  relay: string;
  /** Further settings in the functions' environment (retry timing, …). */
  env?: Env;
  /** Use a running DynamoDB Local / SQS emulator instead of starting them (tests). */
  dynamoEndpoint?: string;
  /** The key to sign with at `dynamoEndpoint` (default {@link EMULATOR_CREDENTIALS}, the test run's). */
  dynamoCredentials?: LocalCredentials;
  sqsEndpoint?: string;
  /** Prefix of table and queue names. */
  prefix?: string;
  /** Parallel delivery pollers on each send queue (default: the topology's, EVENT_SOURCES.deliver.localPollers). */
  deliverConcurrency?: number;
  /** Whether to poll the queue and the stream (tests that invoke the handlers themselves turn it off). */
  pollers?: boolean;
  /** SES endpoint for relay `ses` (else the SDK's own resolution, e.g. AWS_ENDPOINT_URL_SESV2). */
  sesEndpoint?: string;
  /**
   * Shorter timings than Lambda's for fault tests: the send queue's visibility timeout (a new
   * queue only: SQS refuses to recreate a queue with other attributes) and the delivery lease.
   */
  sendQueueVisibilitySeconds?: number;
  deliveryLeaseMs?: number;
  /** Shorter than minutes for fault tests: the age at which a job whose message (or campaign) was never stored is dropped. */
  unstoredJobMaxAgeMs?: number;
  /**
   * Called with every AWS SDK client the runtime creates, before first use: benchmarks count
   * requests and fault tests inject errors through the clients' middleware stacks.
   */
  instrumentClient?: (client: LocalAwsClient) => void;
  /**
   * Starts the inbound SMTP listener on 127.0.0.1 (`npm start`: MAILROOM_INBOUND_PORT, 2525; 0
   * picks a free port) and turns mailroom's return path on (MX `localhost` unless MAILROOM_RETURN_PATH_MX says otherwise).
   */
  inbound?: { port: number };
  /** Starts the SMTP submission service (`npm start`: 2587 and 2465; 0 picks free ports). */
  smtp?: { port: number; securePort: number; tls?: SmtpTls };
  /** The time every function reads (tests move it); the system clock when absent. */
  clock?: Clock;
  /** The web console's build folder, served at `/console/` (default console/dist; `npm start` builds it first). */
  consoleDist?: string;
  log?: Log;
}

/** The SDK clients local mode creates. */
export type LocalAwsClient = DynamoDBClient | DynamoDBStreamsClient | SQSClient | SESv2Client;

export interface LocalRuntime {
  apiUrl: string;
  apiKey: string;
  /** When the dev key was revoked (it stays revoked), if it was. */
  apiKeyRevokedAt?: string;
  mailboxUrl: string;
  /** The web console's address. */
  consoleUrl: string;
  capture?: CaptureSmtp;
  notifier: LogNotifier;
  env: Env;
  /** DynamoDB Local's address; only clients signing with the data folder's key see mailroom's tables there. */
  dynamoEndpoint: string;
  /** The SQS emulator's address. */
  sqsEndpoint: string;
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  requeued: number;
  /** The handlers the pollers and the HTTP server invoke. */
  handlers: {
    api: ReturnType<typeof createApiHandler>;
    deliver: ReturnType<typeof createDeliverHandler>;
    stream: ReturnType<typeof createStreamHandler>;
    export: ReturnType<typeof createExportHandler>;
    campaign: ReturnType<typeof createCampaignHandler>;
    import: ReturnType<typeof createImportHandler>;
    sesEvents: ReturnType<typeof createSesEventsHandler>;
    webhook: ReturnType<typeof createWebhookHandler>;
  };
  exportQueueUrl: string;
  /** The queue of contact import jobs. */
  importQueueUrl: string;
  campaignQueueUrl: string;
  campaignDeadLetterQueueUrl: string;
  /** The send queue of campaign mail. */
  bulkQueueUrl: string;
  /** The queue of webhook tries. */
  webhookQueueUrl: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  eventsStreamArn: string;
  /** The messages table's stream: the events that message items carry (STREAM_SOURCES). */
  messagesStreamArn: string;
  /** The SMTP submission service, when started. */
  smtp?: LocalSmtp;
  /** The inbound SMTP listener (bounces, complaints), when started. */
  inbound?: InboundSmtp;
  /**
   * Resolves once everything handed to the runtime so far is handled: every schedule whose
   * time has come (on the runtime's clock) has fired, every polled queue is empty (nothing
   * visible, in flight or delayed: a retry waiting in the queue is work still to do) and the
   * events stream is read to its end, reports and notifications included. Schedules still to
   * come are not waited for.
   * Rejects with the signal's reason when it aborts first, and at once when the runtime runs
   * without pollers, since nothing would empty its queues.
   */
  idle(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/** The settings the command line needs, none of them secret: table names, queue URLs, IP pools. */
function cliEnv(env: Env): Record<string, string> {
  const names = [
    ...Object.values(TABLE_ENV),
    ENV.sendQueueUrl,
    ENV.deadLetterQueueUrl,
    ENV.bulkSendQueueUrl,
    ENV.exportQueueUrl,
    ENV.campaignQueueUrl,
    ENV.sesIpPools,
    ENV.sesConfigurationSet,
    ENV.operatorTenant,
  ];
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

/** Starts everything; `stop()` ends it in reverse order, letting work in flight finish. */
export async function startLocal(options: LocalOptions): Promise<LocalRuntime> {
  const log = options.log ?? createLogger('local');
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error) => log.warn('stopping failed', { error: String(error) }));
  };
  try {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const dynamoLocal = options.dynamoEndpoint ? undefined : await startDataFolderDynamoDb(options.dataDir, log);
    if (dynamoLocal) stops.push(() => dynamoLocal.stop());
    const dynamoEndpoint = options.dynamoEndpoint ?? dynamoLocal!.endpoint;
    const dynamoCredentials = dynamoLocal?.credentials ?? options.dynamoCredentials ?? EMULATOR_CREDENTIALS;
    const sqsLocal = options.sqsEndpoint ? undefined : await startSqsLocal();
    if (sqsLocal) stops.push(() => sqsLocal.stop());

    // The emulators' clients skip what only AWS reads (signatures, endpoint rules, user agent): a
    // good part of the CPU each request costs, on a machine that also runs the emulators.
    const dynamo = leanEmulatorClient(new DynamoDBClient(emulatorClientConfig(dynamoEndpoint, dynamoCredentials)));
    const streams = leanEmulatorClient(new DynamoDBStreamsClient(emulatorClientConfig(dynamoEndpoint, dynamoCredentials)));
    const sqsEndpoint = options.sqsEndpoint ?? sqsLocal!.endpoint;
    const sqs = leanEmulatorClient(new SQSClient(emulatorClientConfig(sqsEndpoint)));
    stops.push(async () => [dynamo, streams, sqs].forEach((c) => c.destroy()));
    for (const client of [dynamo, streams, sqs]) options.instrumentClient?.(client);
    // The emulator's long polls end only when their wait does: this process's sends wake its pollers instead.
    const queueSignal = new QueueSignal();
    queueSignal.instrument(sqs);

    const prefix = options.prefix ?? 'mailroom';
    const names = localTableNames(prefix);
    const streamArns = await createTables(dynamo, names, log);
    const { eventsStreamArn } = streamArns;
    for (const [name, migrate, table] of [
      ['suppressions', migrateSuppressions, names.suppressions],
      ['unsubscribes', migrateUnsubscribes, names.unsubscribes],
    ] as const) {
      const migrated = await migrate(dynamo, table);
      if (migrated.found > 0) log?.info(`${name} moved to partitions per address (once)`, { ...migrated });
    }
    const queues = await createSendQueues(sqs, prefix, undefined, options.sendQueueVisibilitySeconds);
    const exportQueues = await createExportQueues(sqs, prefix);
    const campaignQueues = await createCampaignQueues(sqs, prefix);
    const importQueues = await createImportQueues(sqs, prefix);
    const webhookQueues = await createWebhookQueues(sqs, prefix);
    const bulkQueue = await createBulkSendQueue(sqs, prefix, queues.deadLetterQueueUrl, options.sendQueueVisibilitySeconds);
    const queueArn =
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ??
      '';

    let capture: CaptureSmtp | undefined;
    if (options.relay === 'capture') {
      capture = await startCaptureSmtp(options.dataDir ? { folder: join(options.dataDir, 'mailbox') } : {});
      stops.push(() => capture!.stop());
    }
    const env: Env = {
      ...options.env,
      [ENV.sendQueueUrl]: queues.queueUrl,
      [ENV.deadLetterQueueUrl]: queues.deadLetterQueueUrl,
      [ENV.exportQueueUrl]: exportQueues.queueUrl,
      [ENV.campaignQueueUrl]: campaignQueues.queueUrl,
      [ENV.importQueueUrl]: importQueues.queueUrl,
      [ENV.webhookQueueUrl]: webhookQueues.queueUrl,
      [ENV.bulkSendQueueUrl]: bulkQueue.queueUrl,
      [ENV.relay]: capture ? capture.url : options.relay,
    };
    for (const table of Object.keys(names) as TableName[]) env[TABLE_ENV[table]] = names[table];
    // Public links: a key kept in the data folder, and this server's own URL, known once it listens.
    if (!env[ENV.linkSecret] && !env[ENV.linkSecretArn]) env[ENV.linkSecret] = localLinkSecret(options.dataDir);
    // DKIM keys of sending domains are sealed with a key kept in the data folder. Senders' domains
    // need not be verified unless MAILROOM_VERIFIED_DOMAINS says so (`npm start`: every tenant but dev).
    if (!env[ENV.domainKeySecret] && !env[ENV.domainKeySecretArn]) env[ENV.domainKeySecret] = localDomainKeySecret(options.dataDir);
    env[ENV.verifiedDomains] ||= 'off';
    // Webhooks may also go to http:// on this machine (a receiver under development); nothing else AWS refuses.
    env[ENV.webhookHttpLoopback] ||= 'true';
    // On one machine the person running it is the operator: the dev tenant's admin key manages every tenant.
    env[ENV.operatorTenant] ||= DEV_TENANT;
    // New SMTP credentials answer with the ports the local SMTP service listens on (fixed ones; 0 picks at start).
    if (options.smtp?.port) env[ENV.smtpPort] ||= String(options.smtp.port);
    if (options.smtp?.securePort) env[ENV.smtpsPort] ||= String(options.smtp.securePort);
    if (options.smtp) env[ENV.smtpHostname] ||= 'localhost';
    // Bounces and complaints come back to the inbound listener: the return path is on while mail
    // stays on this machine (the mailbox, a relay on loopback). Through a real relay, bounces would
    // go to an MX nobody published: MAILROOM_RETURN_PATH_MX names the inbound host to turn it on.
    if (options.inbound && relayStaysLocal(options.relay)) env[ENV.returnPathMx] ||= 'localhost';
    let publicUrl = options.env?.[ENV.publicUrl];
    Object.defineProperty(env, ENV.publicUrl, { enumerable: true, get: () => publicUrl });

    // The notifications feed: its history in the data folder, like the rest.
    const notifier = new LogNotifier(
      log,
      options.dataDir ? { history: new NotificationHistoryFile(join(options.dataDir, NOTIFICATIONS_FILE)) } : {},
    );
    if (options.env?.MAILROOM_SUBSCRIBERS?.trim()) {
      log.warn('MAILROOM_SUBSCRIBERS is no longer read: register webhooks instead (POST /v1/webhooks, docs/webhooks.md)');
    }
    const ses = options.sesEndpoint ? new SESv2Client(localClientConfig(options.sesEndpoint)) : undefined;
    if (ses) options.instrumentClient?.(ses);
    // Messages submitted over SMTP: in the data folder, or a temporary one removed at stop.
    const rawStore = await localRawMessages(options.dataDir, !!options.smtp);
    if (rawStore) stops.push(() => rawStore.close());
    // Attachments: in the data folder (uploads through signed links the HTTP server checks), or a temporary one removed at stop.
    const attachmentFiles = localAttachments(options.dataDir, retentionDays(env));
    stops.push(() => attachmentFiles.close());
    // Tenants' own relay URLs: files (mode 0600) in the data folder, or memory.
    const tenantSecrets = options.dataDir ? new FolderSecretStore(join(options.dataDir, 'secrets')) : new MemorySecretStore();
    // Messages due more than 15 minutes ahead: schedules in the data folder, fired onto the send queue on the functions' clock.
    const scheduler = FolderDeliveryScheduler.open({
      ...(options.dataDir && { folder: join(options.dataDir, `${prefix}-schedules`) }),
      queue: new SqsSendQueue(sqs, queues.queueUrl, queues.deadLetterQueueUrl),
      clock: options.clock ?? systemClock,
      log,
    });
    stops.push(() => scheduler.stop());
    const overrides = {
      dynamo,
      sqs,
      notifier,
      log,
      tenantSecrets,
      scheduler,
      ...(options.clock && { clock: options.clock }),
      ...(ses && { ses }),
      ...(rawStore && { rawMessages: rawStore.store }),
      attachments: attachmentFiles.store,
    };
    const relay = await createRelay(env, overrides);
    stops.push(() => relay.close());
    // Export files go to a folder, downloaded through signed links the HTTP server checks.
    const exportFiles = localExports(options.dataDir);
    stops.push(() => exportFiles.close());
    // Bodies of contact imports wait in a folder for the import function.
    const importBodies = localImportBodies(options.dataDir);
    stops.push(() => importBodies.close());
    const api = createApiHandler(wireApi(env, { ...overrides, blobs: exportFiles.store, importBodies: importBodies.store }));
    const deliverDeps = await wireDeliver(env, { ...overrides, relay });
    stops.push(() => deliverDeps.relay.close());
    if (options.deliveryLeaseMs !== undefined) deliverDeps.leaseMs = options.deliveryLeaseMs;
    if (options.unstoredJobMaxAgeMs !== undefined) deliverDeps.unstoredJobMaxAgeMs = options.unstoredJobMaxAgeMs;
    const deliver = createDeliverHandler(deliverDeps);
    const stream = createStreamHandler(wireStream(env, overrides));
    // SES events have no local source: POST /local/ses-events feeds this handler (any relay).
    const sesEvents = createSesEventsHandler(wireSesEvents(env, overrides));
    const track = createTrackHandler(await wireTrack(env, overrides));
    const exporter = createExportHandler(wireExport(env, { ...overrides, blobs: exportFiles.store }));
    const campaignDeps = await wireCampaign(env, overrides);
    if (options.unstoredJobMaxAgeMs !== undefined) campaignDeps.unstoredJobMaxAgeMs = options.unstoredJobMaxAgeMs;
    const campaign = createCampaignHandler(campaignDeps);
    const importer = createImportHandler(wireImport(env, { ...overrides, importBodies: importBodies.store }));
    const webhook = createWebhookHandler(wireWebhook(env, overrides));

    const apiKey = devKey(options.apiKey, options.dataDir);
    // The dev tenant's record (kept across restarts: its relay and pause state are the user's).
    const created = new Date().toISOString();
    await new DynamoTenantStore(dynamo, names.tenants)
      .create({ id: DEV_TENANT, name: 'Development', createdAt: created, updatedAt: created, sending: { status: 'active' } })
      .catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
      });
    // Written once: a revoked dev key stays revoked.
    const { revokedAt: apiKeyRevokedAt } = await recordDevKey(new DynamoApiKeyStore(dynamo, names.apiKeys), apiKey, DEV_TENANT);

    const onError = (error: unknown) => log.warn('local poller error', { error: String(error) });
    // Each queue feeds its function as the topology says (SQS_EVENT_SOURCES), with Lambda's event shapes.
    const localQueues: Partial<Record<SourceQueue, { queueUrl: string; queueArn: string }>> = {
      send: { queueUrl: queues.queueUrl, queueArn },
      bulkSend: bulkQueue,
      export: exportQueues,
      campaign: campaignQueues,
      import: importQueues,
      webhook: webhookQueues,
    };
    const consumers: Partial<Record<FunctionName, SqsHandler>> = {
      deliver,
      sesEvents,
      export: exporter,
      campaign,
      import: importer,
      webhook,
    };
    const queuePollers: SqsPoller[] = [];
    const streamPollers: StreamPoller[] = [];
    if (options.pollers !== false) {
      for (const source of SQS_EVENT_SOURCES) {
        const concurrency = source.function === 'deliver' ? (options.deliverConcurrency ?? source.localPollers) : source.localPollers;
        if (concurrency === 0) continue;
        const queue = localQueues[source.queue];
        const handler = consumers[source.function];
        if (!queue || !handler) throw new Error(`local mode has no ${source.queue} queue or no ${source.function} handler to poll it with`);
        queuePollers.push(
          startSqsPoller({
            client: sqs,
            queueUrl: queue.queueUrl,
            queueArn: queue.queueArn,
            handler,
            batchSize: source.batchSize,
            reportBatchItemFailures: source.reportBatchItemFailures,
            timeoutSeconds: FUNCTIONS[source.function].timeoutSeconds,
            concurrency,
            ...(source.localMaxInFlight !== undefined && { maxInFlight: source.localMaxInFlight }),
            signal: queueSignal,
            onError,
          }),
        );
      }
      for (const source of STREAM_SOURCES) {
        streamPollers.push(
          startStreamPoller({
            client: streams,
            streamArn: source.table === 'events' ? streamArns.eventsStreamArn : streamArns.messagesStreamArn,
            handler: stream,
            filter: streamFilter(source),
            batchSize: EVENT_SOURCES.stream.batchSize,
            maxBatchingWindowMs: EVENT_SOURCES.stream.maxBatchingWindowSeconds * 1000,
            timeoutSeconds: FUNCTIONS.stream.timeoutSeconds,
            retryAttempts: EVENT_SOURCES.stream.retryAttempts,
            // The events stream's file keeps its first name, so that an upgrade resumes where it was.
            ...(options.dataDir && {
              checkpointFile: join(
                options.dataDir,
                `${prefix}-${source.table === 'events' ? '' : `${source.table}-`}stream-checkpoint.json`,
              ),
            }),
            onError,
          }),
        );
      }
    }
    const pollers: Poller[] = [...queuePollers, ...streamPollers];
    stops.push(async () => void (await Promise.all(pollers.map((p) => p.stop()))));
    const requeued = await requeuePending(dynamo, names.messages, deliverDeps.queue, { scheduler, clock: options.clock ?? systemClock });
    scheduler.start();
    await requeueExports(dynamo, names.exports, new SqsExportQueue(sqs, exportQueues.queueUrl));
    await requeueCampaigns(dynamo, names.campaigns, new SqsCampaignQueue(sqs, campaignQueues.queueUrl));
    await requeueImports(dynamo, names.imports, new SqsImportQueue(sqs, importQueues.queueUrl));
    // The emulator keeps its queues in memory: retries that were waiting when mailroom stopped are queued again.
    await requeueWebhookRetries(dynamo, names.webhooks, new SqsWebhookQueue(sqs, webhookQueues.queueUrl), options.clock ?? systemClock);

    const smtp = options.smtp
      ? await startLocalSmtp(env, wireSmtp(env, overrides), {
          ...options.smtp,
          dynamo,
          credentialsTable: names.smtpCredentials,
          tenant: DEV_TENANT,
          ...(options.dataDir && { dataDir: options.dataDir }),
        })
      : undefined;
    if (smtp) stops.push(() => smtp.stop());
    // `MAILROOM_RETURN_PATH_MX=off` keeps envelope senders as they are (a real relay whose bounces go elsewhere).
    const inbound =
      options.inbound && returnPathConfig(env)
        ? await startInboundSmtp(await wireInbound(env, { ...overrides, blobs: exportFiles.store }), { port: options.inbound.port })
        : undefined;
    if (inbound) stops.push(() => inbound.stop());
    const http = await startHttpServer({
      port: options.port,
      api,
      ...(capture && { capture }),
      notifications: () => [...notifier.notices(), ...notifier.recent()].sort((a, b) => b.at.localeCompare(a.at)),
      exports: exportFiles.store,
      attachments: attachmentFiles.store,
      sesEvents,
      track,
      consoleDist: options.consoleDist ?? CONSOLE_DIST,
      onError: (error) => log.error('local http error', { error: String(error) }),
    });
    stops.push(() => http.stop());
    const base = `http://127.0.0.1:${http.port}`;
    exportFiles.setBaseUrl(base);
    attachmentFiles.setBaseUrl(base);
    publicUrl ??= base;
    // Where the command line finds this local mode (`npx mailroom … --local`), while it runs.
    if (options.dataDir) {
      const dataDir = options.dataDir;
      writeLocalEndpoints(dataDir, {
        pid: process.pid,
        startedAt: new Date().toISOString(),
        api: base,
        dynamodb: { endpoint: dynamoEndpoint, region: LOCAL_REGION },
        sqs: { endpoint: sqsEndpoint, region: LOCAL_REGION },
        relay: relayKind(options.relay),
        env: cliEnv(env),
      });
      stops.push(async () => removeLocalEndpoints(dataDir));
    }
    return {
      apiUrl: base,
      apiKey,
      ...(apiKeyRevokedAt && { apiKeyRevokedAt }),
      mailboxUrl: `${base}/mailbox`,
      consoleUrl: `${base}/console/`,
      ...(capture && { capture }),
      notifier,
      env,
      dynamoEndpoint,
      sqsEndpoint,
      dynamo,
      sqs,
      requeued,
      handlers: { api, deliver, stream, export: exporter, sesEvents, campaign, import: importer, webhook },
      ...(inbound && { inbound }),
      exportQueueUrl: exportQueues.queueUrl,
      importQueueUrl: importQueues.queueUrl,
      campaignQueueUrl: campaignQueues.queueUrl,
      bulkQueueUrl: bulkQueue.queueUrl,
      webhookQueueUrl: webhookQueues.queueUrl,
      campaignDeadLetterQueueUrl: campaignQueues.deadLetterQueueUrl,
      queueUrl: queues.queueUrl,
      deadLetterQueueUrl: queues.deadLetterQueueUrl,
      eventsStreamArn,
      messagesStreamArn: streamArns.messagesStreamArn,
      ...(smtp && { smtp }),
      // Schedules whose time has come are work handed over too: they go on the queue first.
      idle: async (signal) => {
        if (streamPollers.length === 0) throw new Error('this runtime runs without pollers: nothing empties its queues');
        await scheduler.fireDue();
        await waitUntilIdle(sqs, queuePollers, streamPollers, signal);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
