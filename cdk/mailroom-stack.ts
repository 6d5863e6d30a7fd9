/**
 * The mailroom stack: the tables, the send queues and the schedule group of scheduled sends,
 * the HTTP API, the nine functions (api, deliver, stream, ses-events with relay `ses`, export,
 * campaign, import, track, webhook) fed by their queues and the events stream, the relay, tenant and
 * DKIM-key secrets, the delivery-notification topic, export storage, the import bucket, the
 * bucket of attachments (and of SMTP submissions), and the optional SMTP service, wired with
 * least-privilege grants; the alarms with their topic and the dashboard; an optional custom
 * domain for the API. Every setting comes from the shared topology (lib/topology.ts), the
 * queue-to-function event sources included, and every variable name from lib/env.ts.
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV } from '../lib/env.ts';
import {
  EVENT_SOURCES,
  SEND_QUEUE,
  SQS_EVENT_SOURCES,
  STREAM_SOURCES,
  streamSortKeyName,
  type FunctionName,
  type SourceQueue,
  type StreamSourceDef,
} from '../lib/topology.ts';
import {
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_API_RATE_LIMIT,
  DEFAULT_TRACK_RESERVED_CONCURRENCY,
  type AlarmThresholds,
  type CustomDomain,
  type LogLevel,
  type Throttle,
  DEFAULT_OPERATOR_TENANT,
  type DedicatedIpPoolProps,
  type RelayProps,
  type SmtpServiceSettings,
} from './context.ts';
import { ApiDomain } from './constructs/api-domain.ts';
import { BundledFunction } from './constructs/bundled-function.ts';
import { CampaignWork } from './constructs/campaign-work.ts';
import { ContactImports } from './constructs/contact-imports.ts';
import { DeadLetterQueue } from './constructs/encrypted-queue.ts';
import { ExportStorage } from './constructs/exports.ts';
import { HttpApi } from './constructs/http-api.ts';
import { InboundReceiving } from './constructs/inbound-receiving.ts';
import { MailRelay } from './constructs/mail-relay.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { DeliveryNotifications } from './constructs/notifications.ts';
import { RawMessageStorage } from './constructs/raw-messages.ts';
import { SendQueue } from './constructs/send-queue.ts';
import { SendSchedules } from './constructs/send-schedules.ts';
import { SesEvents } from './constructs/ses-events.ts';
import { SmtpService } from './constructs/smtp-service.ts';
import { Tables } from './constructs/tables.ts';
import { TenantSecrets } from './constructs/tenant-secrets.ts';
import { WebhookQueue } from './constructs/webhook-queue.ts';

/** Properties of the {@link MailroomStack}. */
export interface MailroomStackProps extends StackProps {
  /** How mail leaves mailroom: SES or an SMTP relay, and the existing resources to use. */
  relay: RelayProps;
  /** Most deliver invocations the send queue drives at once (SQS event-source maximum concurrency, 2–1000). */
  deliverMaxConcurrency: number;
  /** Folder with package-lock.json and `lambdas/`. @default the repository root */
  projectRoot?: string;
  /** How long function and access logs are kept. @default one month */
  logRetention?: RetentionDays;
  /** API requests per second each tenant may make; 0 turns the limit off. @default DEFAULT_API_RATE_LIMIT */
  apiRateLimit?: number;
  /** Recipients per second delivery is paced to. @default SES's MaxSendRate with relay `ses`; no pacing with `smtp` */
  relayMaxRate?: number;
  /** Base URL of tracking and unsubscribe links (a custom domain). @default the API's own URL */
  publicUrl?: string;
  /** Address List-Unsubscribe offers as `mailto:`. @default none (HTTPS only) */
  unsubscribeMailto?: string;
  /** Tenant whose `admin` keys manage every tenant. @default DEFAULT_OPERATOR_TENANT */
  operatorTenant?: string;
  /** Whether senders' domains must be verified (MAILROOM_VERIFIED_DOMAINS). @default `required` */
  verifiedDomains?: string;
  /** SES dedicated IP pools to create, each with its configuration set (relay `ses`). @default none */
  dedicatedIpPools?: readonly DedicatedIpPoolProps[];
  /** The SMTP submission service (Fargate behind an NLB). @default none */
  smtpService?: SmtpServiceSettings;
  /** Requests per second across the `/v1` routes. @default DEFAULT_API_THROTTLE */
  apiThrottle?: Throttle;
  /** Requests per second on each public link route, apart from the API's. @default DEFAULT_PUBLIC_LINKS_THROTTLE */
  publicLinksThrottle?: Throttle;
  /** Ports an `https://` webhook URL may name. @default 443 only */
  webhookPorts?: readonly number[];
  /** Webhook endpoints one tenant may register. @default 10 */
  webhookMaxEndpoints?: number;
  /** Concurrent executions reserved for the track function (its cap); `false`: none. @default DEFAULT_TRACK_RESERVED_CONCURRENCY */
  trackReservedConcurrency?: number | false;
  /** What the alarms compare against. @default DEFAULT_ALARM_THRESHOLDS */
  alarmThresholds?: AlarmThresholds;
  /** An address the alarm topic mails. @default none */
  alarmEmail?: string;
  /** The functions' log level (POWERTOOLS_LOG_LEVEL). @default DEFAULT_LOG_LEVEL */
  logLevel?: LogLevel;
  /** Whether the tables have deletion protection. @default true */
  deletionProtection?: boolean;
  /** A custom domain for the API; tracking and unsubscribe links use it unless `publicUrl` says otherwise. @default none */
  customDomain?: CustomDomain;
  /** SES email receiving for the return path: bounces and complaints of mail relayed through SMTP come back. @default false */
  inboundReceiving?: boolean;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * mailroom in one stack. Outputs `ApiUrl`, `TopicArn`, `ApiKeysTableName`, the values the
 * redrive command needs, `AlarmTopicArn` and `DashboardName`, `ApiDomainTarget` with a custom
 * domain whose DNS the stack does not manage, and `SmtpEndpoint` with the SMTP service.
 */
export class MailroomStack extends Stack {
  constructor(scope: Construct, id: string, props: MailroomStackProps) {
    super(scope, id, {
      description: 'mailroom: email sending service (HTTP API, SQS, SES or SMTP relay, DynamoDB, SNS)',
      ...props,
    });

    const tables = new Tables(this, 'Tables', { deletionProtection: props.deletionProtection ?? true });
    // Made first: its name is the base of the links the functions put in mail.
    const apiDomain = props.customDomain && new ApiDomain(this, 'ApiDomain', props.customDomain);
    const publicUrl = props.publicUrl ?? apiDomain?.url;
    const sendQueue = new SendQueue(this, 'SendQueue');
    // Messages due more than 15 minutes ahead (`send_at`) wait in one-time EventBridge schedules.
    const sendSchedules = new SendSchedules(this, 'SendSchedules', { queue: sendQueue.queue });
    const notifications = new DeliveryNotifications(this, 'Notifications');
    const relay = new MailRelay(this, 'Relay', {
      relay: props.relay,
      ...(props.dedicatedIpPools && { dedicatedIpPools: props.dedicatedIpPools }),
    });
    const tenantSecrets = new TenantSecrets(this, 'TenantSecrets');
    // The files of sends, and messages submitted over SMTP kept as submitted, until deliver relays them.
    const rawMessages = new RawMessageStorage(this, 'RawMessages');
    const exportStorage = new ExportStorage(this, 'Exports');
    const campaignWork = new CampaignWork(this, 'Campaigns');
    const contactImports = new ContactImports(this, 'Imports', { accessLogsBucket: exportStorage.accessLogs });
    const webhookQueue = new WebhookQueue(this, 'Webhooks');
    // The return path: SES receiving takes bounces and complaints for the bounce domains.
    const receiving = props.inboundReceiving
      ? new InboundReceiving(this, 'Inbound', { accessLogsBucket: exportStorage.accessLogs })
      : undefined;

    // One environment for all functions: config.ts reads every table name at cold start,
    // whichever function loads it.
    const environment: Record<string, string> = {
      ...tables.environment(),
      [ENV.sendQueueUrl]: sendQueue.queue.queueUrl,
      [ENV.bulkSendQueueUrl]: sendQueue.bulkQueue.queueUrl,
      [ENV.deadLetterQueueUrl]: sendQueue.deadLetterQueue.queueUrl,
      [ENV.scheduleGroup]: sendSchedules.groupName,
      [ENV.schedulerRoleArn]: sendSchedules.role.roleArn,
      [ENV.topicArn]: notifications.topic.topicArn,
      [ENV.maxReceiveCount]: String(SEND_QUEUE.maxReceiveCount),
      [ENV.exportQueueUrl]: exportStorage.queue.queueUrl,
      [ENV.exportBucket]: exportStorage.bucket.bucketName,
      [ENV.campaignQueueUrl]: campaignWork.queue.queueUrl,
      [ENV.importQueueUrl]: contactImports.queue.queueUrl,
      [ENV.importBucket]: contactImports.bucket.bucketName,
      [ENV.webhookQueueUrl]: webhookQueue.queue.queueUrl,
      ...(props.webhookPorts && { [ENV.webhookPorts]: props.webhookPorts.join(',') }),
      ...(props.webhookMaxEndpoints !== undefined && { [ENV.webhookMaxEndpoints]: String(props.webhookMaxEndpoints) }),
      [ENV.linkSecretArn]: campaignWork.linkSecret.secretArn,
      [ENV.apiRateLimit]: String(props.apiRateLimit ?? DEFAULT_API_RATE_LIMIT),
      ...(props.relayMaxRate !== undefined && { [ENV.relayMaxRate]: String(props.relayMaxRate) }),
      ...(publicUrl && { [ENV.publicUrl]: publicUrl }),
      ...(props.unsubscribeMailto && { [ENV.unsubscribeMailto]: props.unsubscribeMailto }),
      [ENV.operatorTenant]: props.operatorTenant ?? DEFAULT_OPERATOR_TENANT,
      ...(props.verifiedDomains && { [ENV.verifiedDomains]: props.verifiedDomains }),
      [ENV.domainKeySecretArn]: tenantSecrets.domainKeySecret.secretArn,
      [ENV.tenantSecretPrefix]: tenantSecrets.tenantSecretPrefix,
      ...(props.smtpService && { [ENV.rawMessageBucket]: rawMessages.bucket.bucketName }),
      [ENV.attachmentBucket]: rawMessages.bucket.bucketName,
      ...relay.environment,
      ...(receiving && { [ENV.returnPathMx]: receiving.mxHost, [ENV.inboundBucket]: receiving.bucket.bucketName }),
    };
    const bundled = (name: FunctionName, id: string, withConsole = false): BundledFunction =>
      new BundledFunction(this, id, {
        name,
        projectRoot: props.projectRoot ?? REPOSITORY_ROOT,
        environment,
        logRetention: props.logRetention,
        ...(props.logLevel && { logLevel: props.logLevel }),
        withConsole,
      });

    // api: accepts sends (suppressions, idempotency, message records), serves messages and
    // reports, authenticates with API keys; serves the web console (built into its bundle) at
    // /console/, from the API's own origin, so that the console needs no CORS and no second origin.
    const api = bundled('api', 'ApiFunction', true);
    for (const table of ['messages', 'events', 'suppressions', 'idempotency'] as const) {
      tables.grant(table, 'readWrite', api.role);
    }
    tables.grant('reports', 'read', api.role);
    // Tenants, their keys, SMTP credentials and sending domains: issued, changed and revoked
    // through the API; tenants' own relay URLs kept as secrets, domains set up in SES (Easy DKIM)
    // or with DKIM keys mailroom makes and encrypts.
    for (const table of ['tenants', 'apiKeys', 'smtpCredentials', 'domains'] as const) tables.grant(table, 'readWrite', api.role);
    tenantSecrets.grantManageTenantSecrets(api.role);
    tenantSecrets.grantReadDomainKey(api.role);
    relay.grantManageIdentities(api.role);
    sendQueue.queue.grantSendMessages(api.role);
    // Scheduled sends: one-time schedules in mailroom's group, created and canceled by the api.
    sendSchedules.grantSchedule(api.role);
    // Exports: records jobs, queues them, and presigns download links.
    tables.grant('exports', 'readWrite', api.role);
    exportStorage.queue.grantSendMessages(api.role);
    exportStorage.grantRead(api.role);
    // Lists, contacts and campaigns: kept by the API, fanned out and cleaned up by the campaign
    // function; links in transactional mail and conversions need the signing key.
    for (const table of ['lists', 'contacts', 'campaigns'] as const) tables.grant(table, 'readWrite', api.role);
    // Stored templates: kept by the API, which renders them into messages and copies them into
    // campaigns when they are created (the campaign function never reads them).
    tables.grant('templates', 'readWrite', api.role);
    tables.grant('unsubscribes', 'read', api.role);
    // Per-tenant request counts (the rate limit).
    tables.grant('rateLimits', 'readWrite', api.role);
    campaignWork.queue.grantSendMessages(api.role);
    campaignWork.grantReadLinkSecret(api.role);
    // The activity feed: lookup entries written with each message accepted, read by GET /v1/messages.
    tables.grant('feed', 'readWrite', api.role);
    // Contact imports too large to write within a request: the body stored, the job recorded and queued.
    tables.grant('imports', 'readWrite', api.role);
    contactImports.grantUpload(api.role);
    contactImports.queue.grantSendMessages(api.role);
    // Attachments: the files of sends stored, uploads presigned and their records kept; their bytes are never read here.
    rawMessages.grantAttachmentWrite(api.role);
    tables.grant('uploads', 'readWrite', api.role);
    // Webhook endpoints: registered, changed and tested by their tenants (secrets sealed with the
    // domain key, read above), and the delivery log.
    tables.grant('webhooks', 'readWrite', api.role);

    // deliver: relays queued messages, re-enqueues deferrals with a delay, parks failures.
    const deliver = bundled('deliver', 'DeliverFunction');
    for (const table of ['messages', 'events', 'suppressions', 'softBounces'] as const) {
      tables.grant(table, 'readWrite', deliver.role);
    }
    tables.grant('unsubscribes', 'read', deliver.role);
    sendQueue.queue.grantSendMessages(deliver.role);
    sendQueue.bulkQueue.grantSendMessages(deliver.role);
    sendQueue.deadLetterQueue.grantSendMessages(deliver.role);
    relay.grantSend(deliver.role);
    // Per tenant: whether it may send, its own relay (a secret) or IP pool, its domains' DKIM keys.
    for (const table of ['tenants', 'domains'] as const) tables.grant(table, 'read', deliver.role);
    tenantSecrets.grantReadTenantSecrets(deliver.role);
    tenantSecrets.grantReadDomainKey(deliver.role);
    // SMTP submissions and the files of sends, read to be relayed.
    rawMessages.grantRead(deliver.role);
    // The return path's tokens are signed with the link key.
    if (receiving) campaignWork.grantReadLinkSecret(deliver.role);

    // stream: daily counters and notifications from the events table's stream and the events
    // message items carry (the messages table's stream).
    const stream = bundled('stream', 'StreamFunction');
    tables.grant('reports', 'readWrite', stream.role);
    // The reputation breaker: pauses a tenant whose hourly bounce or complaint rate passes its threshold.
    tables.grant('tenants', 'readWrite', stream.role);
    notifications.grantPublish(stream.role);
    // Webhooks: each event queued as a first try for the endpoints of its tenant that want it.
    tables.grant('webhooks', 'read', stream.role);
    webhookQueue.queue.grantSendMessages(stream.role);
    // Batches that still fail after every retry land here (as stream positions, not records)
    // instead of blocking the shard.
    const streamFailures = new DeadLetterQueue(this, 'StreamFailures', SEND_QUEUE.deadLetterRetentionDays);
    Validations.of(streamFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the events-stream event source mapping; nothing consumes it automatically, so a further DLQ would never receive anything.',
    });
    for (const source of STREAM_SOURCES) {
      stream.function.addEventSource(
        new DynamoEventSource(tables.tables[source.table], {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: EVENT_SOURCES.stream.batchSize,
          maxBatchingWindow: Duration.seconds(EVENT_SOURCES.stream.maxBatchingWindowSeconds),
          retryAttempts: EVENT_SOURCES.stream.retryAttempts,
          // One batch per shard at a time, in order: the report store's chunk markers rely on it.
          parallelizationFactor: 1,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(streamFailures),
          filters: [streamFilterCriteria(source)],
        }),
      );
    }

    // ses-events: what SES reports about sent mail (deliveries, bounces, complaints, opens…),
    // from the configuration set's event destination. Only SES publishes such events.
    let sesEvents: SesEvents | undefined;
    let recorder: BundledFunction | undefined;
    if (relay.configurationSetName) {
      sesEvents = new SesEvents(this, 'SesEvents', { configurationSetName: relay.configurationSetName });
      // Mail sent through a dedicated IP pool's set is reported the same way.
      for (const [pool, name] of Object.entries(relay.poolConfigurationSetNames)) sesEvents.addConfigurationSet(pool, name);
      recorder = bundled('sesEvents', 'SesEventsFunction');
      for (const table of ['messages', 'events', 'suppressions', 'softBounces'] as const) {
        tables.grant(table, 'readWrite', recorder.role);
      }
    }

    // export: streams CSV reports of messages and events into the exports bucket.
    const exporter = bundled('export', 'ExportFunction');
    tables.grant('messages', 'read', exporter.role);
    tables.grant('events', 'read', exporter.role);
    tables.grant('exports', 'readWrite', exporter.role);
    exportStorage.grantWrite(exporter.role);

    // campaign: fans a campaign out into one message per contact, a page at a time, and
    // removes the contacts of deleted lists.
    const campaign = bundled('campaign', 'CampaignFunction');
    for (const table of ['campaigns', 'contacts', 'messages', 'events'] as const) tables.grant(table, 'readWrite', campaign.role);
    // Tenants: a paused tenant's campaign waits; domains: its sender must be a verified domain of the tenant.
    for (const table of ['lists', 'suppressions', 'unsubscribes', 'tenants', 'domains'] as const)
      tables.grant(table, 'read', campaign.role);
    sendQueue.bulkQueue.grantSendMessages(campaign.role);
    campaignWork.queue.grantSendMessages(campaign.role);
    campaignWork.grantReadLinkSecret(campaign.role);
    // The activity feed's lookup entries of the messages it makes (written, never read).
    tables.grant('feed', 'write', campaign.role);

    // import: writes the contacts of large imports a step at a time, recording each step on the
    // job; reads the stored body and removes it once written; queues its own continuation.
    const importer = bundled('import', 'ImportFunction');
    tables.grant('contacts', 'readWrite', importer.role);
    tables.grant('imports', 'readWrite', importer.role);
    for (const table of ['lists', 'unsubscribes'] as const) tables.grant(table, 'read', importer.role);
    contactImports.grantReadAndRemove(importer.role);
    contactImports.queue.grantSendMessages(importer.role);

    // track: the public links in mail: click redirects, open and conversion pixels, and the
    // one-click unsubscribe with its hosted page.
    // Its reservation caps it too, so a link scanner cannot take the concurrency api and deliver need.
    const trackReserved = props.trackReservedConcurrency ?? DEFAULT_TRACK_RESERVED_CONCURRENCY;
    const track = new BundledFunction(this, 'TrackFunction', {
      name: 'track',
      projectRoot: props.projectRoot ?? REPOSITORY_ROOT,
      environment,
      logRetention: props.logRetention,
      ...(props.logLevel && { logLevel: props.logLevel }),
      ...(trackReserved !== false && { reservedConcurrentExecutions: trackReserved }),
    });
    tables.grant('messages', 'read', track.role);
    tables.grant('events', 'readWrite', track.role);
    for (const table of ['unsubscribes', 'contacts'] as const) tables.grant(table, 'readWrite', track.role);
    tables.grant('lists', 'read', track.role);
    campaignWork.grantReadLinkSecret(track.role);

    // webhook: posts signed webhooks, records each try in the log, queues the retries, disables
    // endpoints gone or failing for days and tells the topic and the tenant's other endpoints.
    const webhook = bundled('webhook', 'WebhookFunction');
    tables.grant('webhooks', 'readWrite', webhook.role);
    webhookQueue.queue.grantSendMessages(webhook.role);
    notifications.grantPublish(webhook.role);
    tenantSecrets.grantReadDomainKey(webhook.role);

    // inbound: bounces, delays and complaints that came back to the return path, recorded as
    // SES's reports are; it reads the messages SES receiving stored and checks their tokens.
    let inbound: BundledFunction | undefined;
    if (receiving) {
      inbound = bundled('inbound', 'InboundFunction');
      for (const table of ['messages', 'events', 'suppressions', 'softBounces'] as const) tables.grant(table, 'readWrite', inbound.role);
      tables.grant('domains', 'read', inbound.role);
      receiving.grantRead(inbound.role);
      campaignWork.grantReadLinkSecret(inbound.role);
      // Inbound routes: read from the webhooks table, delivered as webhook tries, attachments kept
      // as export files with presigned download links.
      tables.grant('webhooks', 'read', inbound.role);
      webhookQueue.queue.grantSendMessages(inbound.role);
      exportStorage.grantWrite(inbound.role);
      exportStorage.grantRead(inbound.role);
      new CfnOutput(this, 'InboundRuleSetName', {
        value: receiving.ruleSetName,
        description:
          'SES receipt rule set of the return path; activate it with `aws ses set-active-receipt-rule-set --rule-set-name <name>`',
      });
    }

    // The queues feed their functions as the topology says (SQS_EVENT_SOURCES); the SES events
    // queue exists only with relay `ses`, the inbound queue only with receiving on.
    const queues: Record<SourceQueue, IQueue | undefined> = {
      send: sendQueue.queue,
      bulkSend: sendQueue.bulkQueue,
      sesEvents: sesEvents?.queue,
      export: exportStorage.queue,
      campaign: campaignWork.queue,
      import: contactImports.queue,
      webhook: webhookQueue.queue,
      inbound: receiving?.queue,
    };
    const consumers: Partial<Record<FunctionName, BundledFunction>> = {
      deliver,
      sesEvents: recorder,
      export: exporter,
      campaign,
      import: importer,
      webhook,
      ...(inbound && { inbound }),
    };
    for (const source of SQS_EVENT_SOURCES) {
      const queue = queues[source.queue];
      if (!queue) continue;
      const consumer = consumers[source.function];
      if (!consumer) throw new Error(`the ${source.queue} queue feeds ${source.function}, which this stack does not build`);
      const maxConcurrency = source.maxConcurrency === 'deployment' ? props.deliverMaxConcurrency : source.maxConcurrency;
      consumer.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: source.batchSize,
          maxBatchingWindow: Duration.seconds(source.maxBatchingWindowSeconds),
          reportBatchItemFailures: source.reportBatchItemFailures,
          ...(maxConcurrency !== undefined && { maxConcurrency }),
        }),
      );
    }
    // deliver's pacing to the relay's rate: a count per time slot in the rate-limits table. Granted
    // after the event sources' own grants, so that the deliver role's policy keeps the statement
    // order, and the split between its inline and overflow policies, of stacks deployed before.
    tables.grant('rateLimits', 'readWrite', deliver.role);

    // smtp: the optional submission service; it accepts mail as the api does, from SMTP clients.
    if (props.smtpService) {
      const smtp = new SmtpService(this, 'Smtp', {
        ...props.smtpService,
        entry: path.join(props.projectRoot ?? REPOSITORY_ROOT, 'bin/smtp-server.ts'),
        environment,
        logRetention: props.logRetention,
      });
      for (const table of ['messages', 'events', 'rateLimits'] as const) tables.grant(table, 'readWrite', smtp.taskRole);
      // Suppressions drop recipients, credentials authenticate, tenants gate paused senders, domains verify senders.
      for (const table of ['suppressions', 'smtpCredentials', 'tenants', 'domains'] as const) {
        tables.grant(table, 'read', smtp.taskRole);
      }
      sendQueue.queue.grantSendMessages(smtp.taskRole);
      rawMessages.grantWrite(smtp.taskRole);
      tables.grant('feed', 'write', smtp.taskRole);
    }

    const httpApi = new HttpApi(this, 'HttpApi', {
      handler: api.function,
      publicHandler: track.function,
      logRetention: props.logRetention,
      ...(props.apiThrottle && { throttle: props.apiThrottle }),
      ...(props.publicLinksThrottle && { linksThrottle: props.publicLinksThrottle }),
      ...(apiDomain && { domainName: apiDomain.domainName }),
    });
    Validations.of(httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        "Callers authenticate with mailroom API keys (Bearer tokens whose SHA-256 is looked up in the api-keys table) inside the api function, which also scopes every request to the key's tenant; a Lambda authorizer would repeat the same lookup at extra latency and cost. The public routes need no key by design: GET /v1/openapi.json (the API's description) and GET /console/… (the web console's static page and assets, which sign in with an API key against /v1).",
    });

    const monitoring = new Monitoring(this, 'Monitoring', {
      thresholds: props.alarmThresholds ?? DEFAULT_ALARM_THRESHOLDS,
      ...(props.alarmEmail && { alarmEmail: props.alarmEmail }),
      queues: {
        ...Object.fromEntries(Object.entries(queues).filter((entry): entry is [string, IQueue] => entry[1] !== undefined)),
        send: sendQueue.queue,
        bulkSend: sendQueue.bulkQueue,
      },
      deadLetterQueues: {
        send: sendQueue.deadLetterQueue,
        ...(sesEvents && { 'ses-events': sesEvents.deadLetterQueue }),
        export: exportStorage.deadLetterQueue,
        campaign: campaignWork.deadLetterQueue,
        import: contactImports.deadLetterQueue,
        webhook: webhookQueue.deadLetterQueue,
        ...(receiving && { inbound: receiving.deadLetterQueue }),
      },
      streamFailures,
      functions: [
        api,
        deliver,
        stream,
        ...(recorder ? [recorder] : []),
        exporter,
        campaign,
        importer,
        track,
        webhook,
        ...(inbound ? [inbound] : []),
      ],
      streamFunction: stream.function,
      api: httpApi.api,
      ses: props.relay.kind === 'ses',
    });

    new CfnOutput(this, 'ApiUrl', {
      value: apiDomain ? `${apiDomain.url}/` : httpApi.url,
      description: 'Base URL of the mailroom HTTP API (routes under /v1/)',
    });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${apiDomain ? `${apiDomain.url}/` : httpApi.url}console/`,
      description: 'The web console (sign in with an API key)',
    });
    if (apiDomain && !props.customDomain?.hostedZone) {
      new CfnOutput(this, 'ApiDomainTarget', {
        value: apiDomain.target,
        description: `Point ${props.customDomain?.domainName} at this name (CNAME or Route 53 alias)`,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', {
      value: monitoring.topic.topicArn,
      description: 'SNS topic every alarm publishes to; docs/operations.md says what each alarm means',
    });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboardName, description: 'CloudWatch dashboard of the pipeline' });
    new CfnOutput(this, 'ApiKeysTableName', {
      value: tables.tables.apiKeys.tableName,
      description: 'Table of hashed API keys; `npx mailroom create-key --table <name>` adds one',
    });
    // What `npx mailroom redrive` needs.
    new CfnOutput(this, 'SendQueueUrl', { value: sendQueue.queue.queueUrl, description: 'The transactional send queue' });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: sendQueue.deadLetterQueue.queueUrl,
      description: 'Dead-letter queue of the send queues; `npx mailroom redrive` sends its jobs again',
    });
    new CfnOutput(this, 'MessagesTableName', { value: tables.tables.messages.tableName, description: 'Table of message records' });
    // What `npx mailroom migrate-layouts` needs.
    new CfnOutput(this, 'SuppressionsTableName', { value: tables.tables.suppressions.tableName, description: 'Table of suppressions' });
    new CfnOutput(this, 'UnsubscribesTableName', { value: tables.tables.unsubscribes.tableName, description: 'Table of unsubscribes' });
    new CfnOutput(this, 'TopicArn', {
      value: notifications.topic.topicArn,
      description: 'SNS topic that publishes every delivery event; subscribe to it',
    });
  }
}

/**
 * A stream source's filter criteria (lib/topology.ts STREAM_SOURCES) as Lambda's event filter:
 * its event names, and the item's sort key and an attribute its new image lacks (a number).
 */
function streamFilterCriteria(source: StreamSourceDef): Record<string, unknown> {
  return FilterCriteria.filter({
    eventName: FilterRule.or(...source.eventNames),
    ...((source.sortKey !== undefined || source.withoutAttribute !== undefined) && {
      dynamodb: {
        ...(source.sortKey !== undefined && { Keys: { [streamSortKeyName(source)]: { S: FilterRule.isEqual(source.sortKey) } } }),
        ...(source.withoutAttribute !== undefined && { NewImage: { [source.withoutAttribute]: { N: FilterRule.notExists() } } }),
      },
    }),
  });
}
