/**
 * The one definition of mailroom's resources: tables with their keys, indexes and streams,
 * the queues with their redrive, the functions and the event sources that feed them. The CDK
 * stack and the local runtime both build from it, so they cannot drift apart.
 */
import { ENV } from './env.ts';

export interface KeyDef {
  name: string;
  type: 'S' | 'N';
}

export interface TableDef {
  partitionKey: KeyDef;
  sortKey?: KeyDef;
  /** Attribute holding an epoch-seconds expiry. */
  ttlAttribute?: string;
  stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  indexes?: IndexDef[];
}

/**
 * What a global secondary index copies of each item besides the keys: everything (`ALL`, the
 * default), only the keys, or the keys and the named attributes. Every write of an item that
 * changes what the index holds is also a write to the index, priced by the index entry's size.
 */
export type IndexProjection = { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: string[] };

export interface IndexDef {
  name: string;
  partitionKey: KeyDef;
  sortKey?: KeyDef;
  /** ALL when absent. */
  projection?: IndexProjection;
}

const S = (name: string): KeyDef => ({ name, type: 'S' });

export const TABLES = {
  /**
   * Message items (`sk = "#"`, recipients inside) and body items (`sk = "b"`); see
   * lib/adapters/dynamodb/message-items.ts. The stream brings the events message items carry
   * (lib/domain/carried-events.ts) to the stream function: it needs both images to tell what a write added.
   */
  messages: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    ttlAttribute: 'expiresAt',
    stream: 'NEW_AND_OLD_IMAGES',
    // Keys only: an index holding the keys is written once per message (status updates
    // leave it alone); readers fetch the message items by key.
    indexes: [
      // Write-sharded: a message item's `tenant` is `<tenant>#<shard>` (FEED.shards, feed-keys.ts).
      { name: 'byTenant', partitionKey: S('tenant'), sortKey: S('createdAt'), projection: { type: 'KEYS_ONLY' } },
      // Sparse: only messages whose status is one of FEED.indexedStatuses carry `statusKey`
      // (`<status>#<shard>`), so a message that goes queued → sent → delivered never writes it.
      // `tenantAt` (`<tenant>#<createdAt>`) is set once, at acceptance.
      { name: 'byStatus', partitionKey: S('statusKey'), sortKey: S('tenantAt'), projection: { type: 'KEYS_ONLY' } },
    ],
  },
  /**
   * The activity feed's lookup entries, written once when a message is accepted: one per
   * recipient, tag, campaign and template of the message (`pk` = `<tenant>#<filter>#<digest of
   * the value>#<shard>`, `sk` = `<createdAt>#<message id>`), nothing else; they expire with the
   * message. See lib/adapters/dynamodb/feed-entries.ts.
   */
  feed: { partitionKey: S('pk'), sortKey: S('sk'), ttlAttribute: 'expiresAt' },
  /** Append-only events, keyed by message; the stream feeds reports and notifications. */
  events: { partitionKey: S('pk'), sortKey: S('sk'), ttlAttribute: 'expiresAt', stream: 'NEW_IMAGE' },
  /**
   * An item per tenant and address (`pk` = `<tenant>#<address digest>`, `sk` = address), listed
   * per tenant in address order through `byTenant` (`listKey` = `<tenant>#<shard>`, SUPPRESSIONS).
   * See lib/adapters/dynamodb/suppression-keys.ts.
   */
  suppressions: {
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [{ name: 'byTenant', partitionKey: S('listKey'), sortKey: S('sk') }],
  },
  /** Counters (`pk = tenant#dimension`, `sk = day`) and exactly-once markers (`pk = chunk#<event digest>`, `applied#<key>`). */
  reports: { partitionKey: S('pk'), sortKey: S('sk'), ttlAttribute: 'expiresAt' },
  /** Keyed by the SHA-256 of the key; listed per tenant through `byTenant`. */
  apiKeys: { partitionKey: S('pk'), indexes: [{ name: 'byTenant', partitionKey: S('tenant'), sortKey: S('createdAt') }] },
  /** Idempotency keys per tenant, expiring after 24 hours. */
  idempotency: { partitionKey: S('pk'), ttlAttribute: 'expiresAt' },
  /** Recent soft bounces per tenant (`pk`) and address (`sk = "<email>#<event id>"`), expiring after the window. */
  softBounces: { partitionKey: S('pk'), sortKey: S('sk'), ttlAttribute: 'expiresAt' },
  /** Export jobs (`pk` = export id), expiring with their files after EXPORT_RETENTION_DAYS. */
  exports: { partitionKey: S('pk'), ttlAttribute: 'expiresAt' },
  /** Mailing lists: `pk` = tenant, `sk` = list id. */
  lists: { partitionKey: S('pk'), sortKey: S('sk') },
  /** Contacts of a list: `pk` = `<tenant>#<list id>`, `sk` = address. */
  contacts: { partitionKey: S('pk'), sortKey: S('sk') },
  /**
   * Contact import jobs: `pk` = `<tenant>#<list id>`, `sk` = import id, with the pages of each
   * job's result beside it (`sk` = `<import id>#…`); expiring after IMPORT_RETENTION_DAYS.
   */
  imports: { partitionKey: S('pk'), sortKey: S('sk'), ttlAttribute: 'expiresAt' },
  /**
   * Unsubscribes that people made themselves: `pk` = tenant, `sk` = `<scope>#<address>` with
   * scope `list:<id>` or `marketing`. Kept apart from contacts so that re-importing a contact
   * never subscribes it again.
   */
  unsubscribes: { partitionKey: S('pk'), sortKey: S('sk') },
  /** Campaigns: `pk` = tenant, `sk` = campaign id; progress of the fan-out on the item. */
  campaigns: { partitionKey: S('pk'), sortKey: S('sk') },
  /** Request counts per tenant and second (`pk` = `<tenant>#<epoch second>`), expiring after a minute. */
  rateLimits: { partitionKey: S('pk'), ttlAttribute: 'expiresAt' },
  /** Tenants (`pk` = tenant id): relay, IP pool, whether sending is paused. */
  tenants: { partitionKey: S('pk') },
  /** Sending domains: `pk` = tenant, `sk` = domain name; DKIM selector and encrypted key, verification state. */
  domains: { partitionKey: S('pk'), sortKey: S('sk') },
  /** SMTP credentials (`pk` = username), the password kept only as a hash; listed per tenant through `byTenant`. */
  smtpCredentials: { partitionKey: S('pk'), indexes: [{ name: 'byTenant', partitionKey: S('tenant'), sortKey: S('createdAt') }] },
  /** Stored templates (`pk` = tenant, `sk` = template id) and the claims that keep names unique (`pk` = `<tenant>#name`). */
  templates: { partitionKey: S('pk'), sortKey: S('sk') },
  /** Attachment uploads (`pk` = `<tenant>#<upload id>`): file name, type and size; the bytes are in S3. Expiring with the messages. */
  uploads: { partitionKey: S('pk'), ttlAttribute: 'expiresAt' },
  /**
   * Webhook endpoints (`pk` = tenant, `sk` = endpoint id), each tenant's count of them
   * (`pk` = `<tenant>#webhooks`), and the delivery log (`pk` = `<tenant>#<endpoint id>#<shard>`,
   * WEBHOOKS.deliveryShards of them, `sk` = delivery id), whose items expire.
   */
  webhooks: { partitionKey: S('pk'), sortKey: S('sk'), ttlAttribute: 'expiresAt' },
} as const satisfies Record<string, TableDef>;

export type TableName = keyof typeof TABLES;

/** Environment variable that carries each table's name. */
export const TABLE_ENV: Record<TableName, string> = {
  messages: ENV.messagesTable,
  events: ENV.eventsTable,
  suppressions: ENV.suppressionsTable,
  reports: ENV.reportsTable,
  apiKeys: ENV.apiKeysTable,
  idempotency: ENV.idempotencyTable,
  softBounces: ENV.softBouncesTable,
  exports: ENV.exportsTable,
  lists: ENV.listsTable,
  contacts: ENV.contactsTable,
  imports: ENV.importsTable,
  unsubscribes: ENV.unsubscribesTable,
  campaigns: ENV.campaignsTable,
  rateLimits: ENV.rateLimitsTable,
  tenants: ENV.tenantsTable,
  domains: ENV.domainsTable,
  smtpCredentials: ENV.smtpCredentialsTable,
  templates: ENV.templatesTable,
  uploads: ENV.uploadsTable,
  feed: ENV.feedTable,
  webhooks: ENV.webhooksTable,
};

export const FUNCTIONS = {
  /** 29 s: API Gateway waits at most 30 s. Contact imports beyond a thousand rows run in `import`. */
  api: { entry: 'lambdas/api.ts', memoryMb: 512, timeoutSeconds: 29 },
  deliver: { entry: 'lambdas/deliver.ts', memoryMb: 512, timeoutSeconds: 30 },
  stream: { entry: 'lambdas/stream.ts', memoryMb: 256, timeoutSeconds: 30 },
  /** Records what SES reports (deliveries, bounces, complaints…); only with relay `ses`. */
  sesEvents: { entry: 'lambdas/ses-events.ts', memoryMb: 256, timeoutSeconds: 30 },
  /** Long, because one invocation streams a whole export (months of a busy tenant) to storage. */
  export: { entry: 'lambdas/export.ts', memoryMb: 1024, timeoutSeconds: 900 },
  /** Campaign fan-out and list clean-up; each invocation works in pages until its time is nearly up. */
  campaign: { entry: 'lambdas/campaign.ts', memoryMb: 1024, timeoutSeconds: 900 },
  /**
   * Contact imports too large for the API: each invocation writes steps of contacts until its
   * time is nearly up. 1 GB: reading 50,000 rows is CPU work, and Lambda's CPU grows with memory.
   */
  import: { entry: 'lambdas/import.ts', memoryMb: 1024, timeoutSeconds: 900 },
  /** Public tracking routes: click redirects, open pixels, conversion pixels, unsubscribe. */
  track: { entry: 'lambdas/track.ts', memoryMb: 256, timeoutSeconds: 10 },
  /**
   * Webhook tries: the records of a batch are sent at once, each within 10 s, so an invocation
   * lasts about as long as its slowest endpoint. 256 MB: it waits on the network.
   */
  webhook: { entry: 'lambdas/webhook.ts', memoryMb: 256, timeoutSeconds: 30 },
  /**
   * Mail SES receiving took for the bounce domains (bounces, delays, complaints), read from S3;
   * only with receiving on (context `mailroom:inboundReceiving`). 512 MB: it parses MIME.
   */
  inbound: { entry: 'lambdas/inbound.ts', memoryMb: 512, timeoutSeconds: 30 },
} as const;

/** SQS's longest per-message delay (DelaySeconds): 15 minutes. Longer waits travel in the message and are taken in steps. */
export const SQS_MAX_DELAY_SECONDS = 900;

export const SEND_QUEUE = {
  /** Six times the deliver timeout, as AWS advises for SQS event sources. */
  visibilityTimeoutSeconds: 6 * FUNCTIONS.deliver.timeoutSeconds,
  /** Receives before a message moves to the DLQ. Deferrals re-enqueue, so only crashes count. */
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
} as const;

/** The queue between the SES events topic and the ses-events function (relay `ses`). */
export const SES_EVENTS_QUEUE = {
  /**
   * Six times the function's timeout, as AWS advises for SQS event sources. It is also the
   * pause before an event that came before its send was recorded is tried again.
   */
  visibilityTimeoutSeconds: 6 * FUNCTIONS.sesEvents.timeoutSeconds,
  /** Receives before a record moves to the DLQ (about 15 minutes of retries at that visibility). */
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
} as const;

/** The exports queue between the API and the export function. */
export const EXPORT_QUEUE = {
  /** Six times the export timeout, as for the send queue. */
  visibilityTimeoutSeconds: 6 * FUNCTIONS.export.timeoutSeconds,
  /** Receives before an export job moves to the DLQ (the handler marks the export failed on the last). */
  maxReceiveCount: 3,
  deadLetterRetentionDays: 14,
} as const;

/** The queue of campaign work (fan-out, list clean-up) between the API and the campaign function. */
export const CAMPAIGN_QUEUE = {
  /** Six times the function's timeout, as for the other queues. */
  visibilityTimeoutSeconds: 6 * FUNCTIONS.campaign.timeoutSeconds,
  /** A job that fails this often moves to the DLQ and its campaign is marked failed. */
  maxReceiveCount: 3,
  deadLetterRetentionDays: 14,
} as const;

/** The queue of webhook tries between the stream function (and the retries) and the webhook function. */
export const WEBHOOK_QUEUE = {
  /** Six times the function's timeout, as for the other queues. */
  visibilityTimeoutSeconds: 6 * FUNCTIONS.webhook.timeoutSeconds,
  /**
   * Receives before a try moves to the DLQ. A try waiting hours for its turn is received once
   * early and put out of sight until its time (visibility), so two receives are normal; the
   * rest are for crashes of the function.
   */
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
} as const;

/** The queue between SES receiving's topic and the inbound function (receiving on). */
export const INBOUND_QUEUE = {
  /** Six times the function's timeout; also the pause before a report that came before its send was recorded is tried again. */
  visibilityTimeoutSeconds: 6 * FUNCTIONS.inbound.timeoutSeconds,
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
} as const;

/** Days SES receiving's copies of inbound mail are kept in their bucket. */
export const INBOUND_RETENTION_DAYS = 14;

/** Time an invocation of the campaign function keeps for itself after its last page. */
export const CAMPAIGN_RESERVE_MS = 60_000;

/** The queue of contact import jobs between the API and the import function. */
export const IMPORT_QUEUE = {
  /** Six times the function's timeout, as for the other queues. */
  visibilityTimeoutSeconds: 6 * FUNCTIONS.import.timeoutSeconds,
  /** A job whose run fails this often moves to the DLQ and is marked failed. */
  maxReceiveCount: 3,
  deadLetterRetentionDays: 14,
} as const;

/** Time an invocation of the import function keeps for itself: no step starts with less left. */
export const IMPORT_RESERVE_MS = 60_000;

/** Days a contact import job (and its result) and, at most, its stored body are kept. */
export const IMPORT_RETENTION_DAYS = 7;

/** Longest body of a contact import (`POST /v1/lists/{id}/contacts/import`); Lambda takes 6 MB. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** Days an export's job record and file are kept (DynamoDB TTL, S3 lifecycle). */
export const EXPORT_RETENTION_DAYS = 7;

/** A function of `FUNCTIONS`. */
export type FunctionName = keyof typeof FUNCTIONS;

/**
 * The queues that feed functions: the send queue and its bulk lane for campaign mail
 * (SEND_QUEUE), SES_EVENTS_QUEUE, EXPORT_QUEUE, CAMPAIGN_QUEUE and IMPORT_QUEUE.
 */
export type SourceQueue = 'send' | 'bulkSend' | 'sesEvents' | 'export' | 'campaign' | 'import' | 'webhook' | 'inbound';

/** How a function takes the records of a queue: the SQS event source in AWS, a poller in local mode. */
export interface SqsEventSourceSettings {
  /** Most records per invocation. */
  batchSize: number;
  /** Longest wait for a fuller batch (AWS; local pollers take what one receive brings). */
  maxBatchingWindowSeconds: number;
  /** Records fail one by one: the handler names them in a partial batch response. */
  reportBatchItemFailures: boolean;
  /**
   * Most invocations the queue drives at once (SQS event-source maximum concurrency, 2–1000):
   * a number, or `deployment` for the deployment's choice (the stack's deliverMaxConcurrency).
   * Absent: no limit but Lambda's.
   */
  maxConcurrency?: number | 'deployment';
  /** Receive loops local mode runs on the queue; 0 where local mode has no such queue. */
  localPollers: number;
  /** Local mode: records in handlers at once, the loops receiving on without waiting for their batches (see SqsPollerOptions). */
  localMaxInFlight?: number;
}

/**
 * The table streams that feed the stream function (settings: EVENT_SOURCES.stream). A record
 * reaches it only when its `eventName` is one of `eventNames`, and, with `sortKey`, when its
 * item's sort key is that and its new image lacks `withoutAttribute`: Lambda's filter
 * criteria in AWS (filtered records cost nothing), the poller's in local mode.
 */
export const STREAM_SOURCES: readonly StreamSourceDef[] = [
  // Only new events matter; TTL removals would otherwise invoke the function for nothing.
  { table: 'events', eventNames: ['INSERT'] },
  // Message items only (not bodies), and not while an attempt holds the lease: a claim adds no
  // events, while acceptance (INSERT) and the end of an attempt (which drops the lease) may.
  { table: 'messages', eventNames: ['INSERT', 'MODIFY'], sortKey: '#', withoutAttribute: 'leaseUntil' },
];

/** The attribute a stream source's `sortKey` is compared with: its table's sort key. */
export function streamSortKeyName(source: StreamSourceDef): string {
  const key: KeyDef | undefined = TABLES[source.table].sortKey;
  if (!key) throw new Error(`table ${source.table} has no sort key to filter its stream on`);
  return key.name;
}

/** A table stream that feeds the stream function, with the records it passes on. */
export interface StreamSourceDef {
  table: 'events' | 'messages';
  eventNames: readonly ('INSERT' | 'MODIFY' | 'REMOVE')[];
  sortKey?: string;
  withoutAttribute?: string;
}

/** A queue that feeds a function, with the function's settings. */
export interface SqsEventSourceDef extends SqsEventSourceSettings {
  queue: SourceQueue;
  function: FunctionName;
}

/** Each function's event-source settings: for the queues that feed it (SQS_EVENT_SOURCES), or for the events stream. */
export const EVENT_SOURCES = {
  deliver: {
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    maxConcurrency: 'deployment',
    /** The deployment's maximum concurrency when it sets none (context `mailroom:deliverMaxConcurrency`). */
    defaultMaxConcurrency: 10,
    /** Local mode's default; LocalOptions.deliverConcurrency sets another. */
    localPollers: 2,
  },
  /** The events and messages tables' streams (DynamoDB event sources, not queues; STREAM_SOURCES). */
  stream: { batchSize: 100, maxBatchingWindowSeconds: 1, retryAttempts: 10 },
  /** No queue in local mode: POST /local/ses-events feeds the handler. */
  sesEvents: { batchSize: 10, maxBatchingWindowSeconds: 1, reportBatchItemFailures: true, localPollers: 0 },
  /** No queue in local mode: the inbound SMTP listener hands mail to the same use case. */
  inbound: { batchSize: 10, maxBatchingWindowSeconds: 1, reportBatchItemFailures: true, localPollers: 0 },
  /** One export per invocation: each gets the whole timeout, and a failure redoes no other. */
  export: { batchSize: 1, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true, maxConcurrency: 5, localPollers: 1 },
  /** One job per invocation: each runs pages until its time is nearly up, then continues in a new job. */
  campaign: { batchSize: 1, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true, maxConcurrency: 5, localPollers: 1 },
  /** One import per invocation, as for campaign jobs. */
  import: { batchSize: 1, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true, maxConcurrency: 5, localPollers: 1 },
  /**
   * Ten tries per invocation, sent at once. With the queue fair between tenants (a group per
   * tenant) and room to scale, a slow or dead endpoint holds only its own tries: locally the
   * loop receives on while up to 100 tries wait on their endpoints.
   */
  webhook: {
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    maxConcurrency: 20,
    localPollers: 1,
    localMaxInFlight: 100,
  },
} as const;

/**
 * Which queue feeds which function: the CDK stack makes an SQS event source of each entry, and
 * local mode a poller. Campaign mail has a send queue of its own (`bulkSend`), with its own
 * pollers, so that it never holds back the rest.
 */
export const SQS_EVENT_SOURCES: readonly SqsEventSourceDef[] = [
  { queue: 'send', function: 'deliver', ...EVENT_SOURCES.deliver },
  { queue: 'bulkSend', function: 'deliver', ...EVENT_SOURCES.deliver },
  { queue: 'sesEvents', function: 'sesEvents', ...EVENT_SOURCES.sesEvents },
  { queue: 'export', function: 'export', ...EVENT_SOURCES.export },
  { queue: 'campaign', function: 'campaign', ...EVENT_SOURCES.campaign },
  { queue: 'import', function: 'import', ...EVENT_SOURCES.import },
  { queue: 'webhook', function: 'webhook', ...EVENT_SOURCES.webhook },
  { queue: 'inbound', function: 'inbound', ...EVENT_SOURCES.inbound },
];

/** How long an attempt may hold a message before another worker may take it over. */
export const DELIVERY_LEASE_MS = (FUNCTIONS.deliver.timeoutSeconds + 30) * 1000;

/** The SMTP submission service (local mode and the optional Fargate service). */
export const SMTP_SERVICE = {
  /** STARTTLS submission; local mode listens on 2587 instead. */
  port: 587,
  /** Implicit TLS submission; local mode listens on 2465 instead. */
  securePort: 465,
  /** Largest message (SIZE); SES takes raw messages up to 40 MB. */
  maxMessageBytes: 40 * 1024 * 1024,
  /** Idle time before the server closes a connection. */
  socketTimeoutMs: 60_000,
  /**
   * Time from accepting a connection to a successful AUTH; a client that has not logged in by
   * then is closed, however it trickles bytes (MAILROOM_SMTP_AUTH_DEADLINE_SECONDS).
   */
  authDeadlineMs: 60_000,
  /** Connections one client address may hold open at once (MAILROOM_SMTP_MAX_CONNECTIONS_PER_ADDRESS). */
  maxConnectionsPerAddress: 20,
} as const;

/**
 * The activity feed (`GET /v1/messages`) and every listing of a tenant's messages. Their keys
 * are write-sharded: each message goes to one of `shards` partitions per key (the tenant's in
 * `byTenant`, a status in `byStatus`, a filter value in the feed table), chosen by a hash of its
 * id, and a listing queries all of them in parallel and merges them by time, so that no one key
 * (a busy tenant, its tag on all of its mail, a large campaign, all tenants' bounces) is limited
 * to one partition's writes (1,000 a second).
 * `shards` may grow (entries already written stay where they are, and every shard is read) but
 * never shrink; a cursor made with another count is refused.
 */
export const FEED = {
  /**
   * One tenant at 5,000 messages a second writes one `byTenant` entry and one lookup entry per
   * shared tag for each: 5,000 / 16 = 313 writes a second on each shard, 31 % of a partition's
   * limit, with room under the half that the capacity model allows (10 shards would sit exactly
   * at it). A listing page reads 16 partitions (17 for `byTenant`, see feed-sources.ts) in parallel.
   */
  shards: 16,
  /**
   * Statuses kept in the messages table's sparse `byStatus` index: those people look for, which
   * few messages reach. A message enters the index (1 write) when it takes one of them and
   * leaves it (1 write) when it moves on; queued → sent → delivered costs nothing. `scheduled`
   * and `canceled` are the statuses of scheduled sends. Other statuses are found by reading the
   * tenant's messages newest first (see `maxExamined`).
   */
  indexedStatuses: ['deferred', 'bounced', 'complained', 'failed', 'rejected', 'scheduled', 'canceled'] as readonly string[],
  /** Most messages one page reads to find its matches when a filter is not served by a key alone. */
  maxExamined: 1000,
} as const;

/**
 * The reports table's counters are write-sharded: each chunk of a stream batch (and each
 * increment applied on its own) adds to one of `shards` items per tenant, dimension and day,
 * picked from its first event's id, and a report sums them. A chunk is already one write per
 * counter item, so a busy tenant's `all` item takes one write per chunk; at 5,000 messages a
 * second for one tenant that was 900 to 1,900 writes a second on one key as the stream batched
 * events, and 8 shards leave the busiest below 240, a quarter of a partition's writes. `shards`
 * may grow (every shard is read) but never shrink.
 */
export const REPORTS = { shards: 8 } as const;

/**
 * The webhook delivery log: each try writes its delivery's item, so one endpoint of a tenant
 * sending 5,000 messages a second with three events each takes 15,000 writes a second. Written
 * across `deliveryShards` partitions per endpoint (by a hash of the delivery id), that is 234 on
 * each, under a quarter of a partition's limit, with room for retries and items past 1 KB. A page
 * of the log reads every shard (and the partition of the log before it was sharded) in parallel.
 * `deliveryShards` may never change: a delivery is found again by its id's shard.
 */
export const WEBHOOKS = { deliveryShards: 64 } as const;

/**
 * Suppressions: each entry is an item of its own (`pk` = `<tenant>#<digest of the address>`), so
 * the checks at acceptance and before sending read a new key for each recipient. Listings go
 * through the `byTenant` index, written across `listShards` partitions per tenant (by the same
 * digest) and merged in address order. Hard bounces of a tenth of 5,000 messages a second put
 * 500 writes a second on a tenant's index; 4 shards keep each near 125. May grow, never shrink.
 */
export const SUPPRESSIONS = { listShards: 4 } as const;

/** Longest request body the API accepts (but for sends: MAX_SEND_REQUEST_BYTES). */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** Most bytes a synchronous Lambda invocation takes: the whole API Gateway event, body included. */
export const LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * Longest body of a send (`POST /v1/messages`, `/v1/messages/batch`), which may carry files in
 * base64: what still fits in Lambda's payload when API Gateway hands the body over
 * base64-encoded (a third larger), with 64 KiB left for the event's headers and context.
 * Larger files are uploaded (POST /v1/attachments).
 */
export const MAX_SEND_REQUEST_BYTES = Math.floor(((LAMBDA_PAYLOAD_BYTES - 64 * 1024) * 3) / 4);

/** Default retention of messages and events, in days. */
export const DEFAULT_RETENTION_DAYS = 30;
