/**
 * Names of the environment variables that configure the functions, and the type of the
 * environment they are read from. The CDK stack sets them and the functions read them, from
 * this one list.
 */

/** The environment configuration is read from: `process.env`, or a stand-in (local mode, tests). */
export type Env = Record<string, string | undefined>;

export const ENV = {
  messagesTable: 'MAILROOM_MESSAGES_TABLE',
  eventsTable: 'MAILROOM_EVENTS_TABLE',
  suppressionsTable: 'MAILROOM_SUPPRESSIONS_TABLE',
  reportsTable: 'MAILROOM_REPORTS_TABLE',
  apiKeysTable: 'MAILROOM_API_KEYS_TABLE',
  idempotencyTable: 'MAILROOM_IDEMPOTENCY_TABLE',
  softBouncesTable: 'MAILROOM_SOFT_BOUNCES_TABLE',
  exportsTable: 'MAILROOM_EXPORTS_TABLE',
  listsTable: 'MAILROOM_LISTS_TABLE',
  contactsTable: 'MAILROOM_CONTACTS_TABLE',
  importsTable: 'MAILROOM_IMPORTS_TABLE',
  unsubscribesTable: 'MAILROOM_UNSUBSCRIBES_TABLE',
  campaignsTable: 'MAILROOM_CAMPAIGNS_TABLE',
  rateLimitsTable: 'MAILROOM_RATE_LIMITS_TABLE',
  tenantsTable: 'MAILROOM_TENANTS_TABLE',
  domainsTable: 'MAILROOM_DOMAINS_TABLE',
  smtpCredentialsTable: 'MAILROOM_SMTP_CREDENTIALS_TABLE',
  templatesTable: 'MAILROOM_TEMPLATES_TABLE',
  uploadsTable: 'MAILROOM_UPLOADS_TABLE',
  feedTable: 'MAILROOM_FEED_TABLE',
  webhooksTable: 'MAILROOM_WEBHOOKS_TABLE',
  /** Tenant whose `admin` keys may manage every tenant (create tenants, set relays, resume sending). */
  operatorTenant: 'MAILROOM_OPERATOR_TENANT',
  /** JSON object from dedicated IP pool name to the SES configuration set that sends through it. */
  sesIpPools: 'MAILROOM_SES_IP_POOLS',
  /** Key that encrypts the DKIM private keys mailroom makes (local mode; base64, 32 bytes). */
  domainKeySecret: 'MAILROOM_DOMAIN_KEY_SECRET',
  /** Secrets Manager secret holding that key (AWS). */
  domainKeySecretArn: 'MAILROOM_DOMAIN_KEY_SECRET_ARN',
  /**
   * `required` (default) refuses mail from domains the tenant has not verified; `off` allows it;
   * `off:<tenant>,<tenant>` allows it for the tenants listed only (local mode: `off:dev`).
   */
  verifiedDomains: 'MAILROOM_VERIFIED_DOMAINS',
  /** DNS servers that check sending domains' records (comma-separated `host:port`); the system's when unset. */
  dnsServers: 'MAILROOM_DNS_SERVERS',
  /** Prefix of the Secrets Manager secrets that hold tenants' own SMTP relay URLs (AWS). */
  tenantSecretPrefix: 'MAILROOM_TENANT_SECRET_PREFIX',
  /** S3 bucket holding messages submitted over SMTP, as submitted (AWS). */
  rawMessageBucket: 'MAILROOM_RAW_MESSAGE_BUCKET',
  /** S3 bucket holding the bytes of attachments, under `attachments/` (AWS). */
  attachmentBucket: 'MAILROOM_ATTACHMENT_BUCKET',
  /** SMTP submission with STARTTLS (default 587). */
  smtpPort: 'MAILROOM_SMTP_PORT',
  /** SMTP submission with implicit TLS (default 465). */
  smtpsPort: 'MAILROOM_SMTPS_PORT',
  /** Host name the SMTP service greets with. */
  smtpHostname: 'MAILROOM_SMTP_HOSTNAME',
  /** Secrets Manager secret with the SMTP service's TLS certificate and key (JSON `{"cert","key"}`, PEM). */
  smtpTlsSecretArn: 'MAILROOM_SMTP_TLS_SECRET_ARN',
  /** Largest message the SMTP service takes, in bytes (SIZE extension). */
  smtpMaxMessageBytes: 'MAILROOM_SMTP_MAX_MESSAGE_BYTES',
  /**
   * Seconds a client of the SMTP service has, from connecting, to log in (AUTH); a connection
   * not logged in by then is closed with 421, however it trickles bytes (default 60).
   */
  smtpAuthDeadlineSeconds: 'MAILROOM_SMTP_AUTH_DEADLINE_SECONDS',
  /** Connections one client address may hold open to the SMTP service, both ports together; more are refused with 421 (default 20). */
  smtpMaxConnectionsPerAddress: 'MAILROOM_SMTP_MAX_CONNECTIONS_PER_ADDRESS',
  /** Local mode: PEM files of the SMTP service's certificate and key (a self-signed pair is made when unset). */
  smtpTlsCertFile: 'MAILROOM_SMTP_TLS_CERT_FILE',
  smtpTlsKeyFile: 'MAILROOM_SMTP_TLS_KEY_FILE',
  /** Bounce rate over the window that pauses a tenant's sending (fraction, default 0.05). */
  breakerBounceRate: 'MAILROOM_BREAKER_BOUNCE_RATE',
  /** Complaint rate over the window that pauses a tenant's sending (fraction, default 0.001). */
  breakerComplaintRate: 'MAILROOM_BREAKER_COMPLAINT_RATE',
  /** Recipients (sent + hard bounces) the breaker's window must hold before it applies (default 100). */
  breakerMinVolume: 'MAILROOM_BREAKER_MIN_VOLUME',
  /** Hours of the breaker's rolling window (default 24, at most 168). */
  breakerWindowHours: 'MAILROOM_BREAKER_WINDOW_HOURS',
  /** Seconds a function keeps a tenant's sending state before reading it again (default 10; 0: every time). */
  sendingStateCacheSeconds: 'MAILROOM_SENDING_STATE_CACHE_SECONDS',
  apiKeyCacheSeconds: 'MAILROOM_API_KEY_CACHE_SECONDS',
  /** API requests per second each tenant may make (0: no limit). */
  apiRateLimit: 'MAILROOM_API_RATE_LIMIT',
  campaignQueueUrl: 'MAILROOM_CAMPAIGN_QUEUE_URL',
  /**
   * Base URL of the public tracking and unsubscribe links (`https://mail.example.com`). In AWS
   * it defaults to the API's own URL, taken from the request.
   */
  publicUrl: 'MAILROOM_PUBLIC_URL',
  /** Key that signs tracking, conversion and unsubscribe links (local mode; base64, 32 bytes or more). */
  linkSecret: 'MAILROOM_LINK_SECRET',
  /** Secrets Manager secret holding that key (AWS). */
  linkSecretArn: 'MAILROOM_LINK_SECRET_ARN',
  /** `mailto:` address that List-Unsubscribe offers beside the HTTPS link (optional). */
  unsubscribeMailto: 'MAILROOM_UNSUBSCRIBE_MAILTO',
  sendQueueUrl: 'MAILROOM_SEND_QUEUE_URL',
  /**
   * EventBridge Scheduler group holding the one-time schedules of messages due more than 15
   * minutes ahead (`send_at`; AWS). Unset outside AWS: local mode schedules in its data folder.
   */
  scheduleGroup: 'MAILROOM_SCHEDULE_GROUP',
  /** Role those schedules assume to send their job to the send queue (AWS; needed with MAILROOM_SCHEDULE_GROUP). */
  schedulerRoleArn: 'MAILROOM_SCHEDULER_ROLE_ARN',
  /** The send queue of campaign mail (its own lane, so campaigns never hold back transactional mail). */
  bulkSendQueueUrl: 'MAILROOM_BULK_SEND_QUEUE_URL',
  /**
   * Recipients per second the relay takes; delivery is paced to it. Unset with relay `ses`:
   * SES's own MaxSendRate; unset or 0 with an SMTP relay: no pacing.
   */
  relayMaxRate: 'MAILROOM_RELAY_MAX_RATE',
  deadLetterQueueUrl: 'MAILROOM_DLQ_URL',
  topicArn: 'MAILROOM_TOPIC_ARN',
  exportQueueUrl: 'MAILROOM_EXPORT_QUEUE_URL',
  /** S3 bucket that holds export files (AWS). */
  exportBucket: 'MAILROOM_EXPORT_BUCKET',
  importQueueUrl: 'MAILROOM_IMPORT_QUEUE_URL',
  /** S3 bucket that holds the bodies of contact imports until the import function has written them (AWS). */
  importBucket: 'MAILROOM_IMPORT_BUCKET',
  /** `ses`, `capture`, or an SMTP URL (`smtp://user:pass@host:port`, `smtps://…`). */
  relay: 'MAILROOM_RELAY',
  /** Secrets Manager secret holding the SMTP relay URL (AWS, relay `smtp`). */
  smtpSecretArn: 'MAILROOM_SMTP_SECRET_ARN',
  sesConfigurationSet: 'MAILROOM_SES_CONFIGURATION_SET',
  retryBaseSeconds: 'MAILROOM_RETRY_BASE_SECONDS',
  retryMaxAgeSeconds: 'MAILROOM_RETRY_MAX_AGE_SECONDS',
  maxReceiveCount: 'MAILROOM_MAX_RECEIVE_COUNT',
  /** Soft bounces within the window that suppress an address (0: never). */
  softBounceLimit: 'MAILROOM_SOFT_BOUNCE_LIMIT',
  /** Hours in which repeated soft bounces are counted. */
  softBounceWindowHours: 'MAILROOM_SOFT_BOUNCE_WINDOW_HOURS',
  /** Days a message and its events are kept (DynamoDB TTL). */
  retentionDays: 'MAILROOM_RETENTION_DAYS',
  /** Powertools: the functions' log level, `DEBUG`, `INFO` (its default), `WARN` or `ERROR`. */
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  /** Powertools: `false` turns the X-Ray tracer off (it is on in Lambda, off elsewhere). */
  traceEnabled: 'POWERTOOLS_TRACE_ENABLED',
  /** Powertools: `true` stops the EMF metric lines (mailroom's metrics are then not published). */
  metricsDisabled: 'POWERTOOLS_METRICS_DISABLED',
  /** The queue of webhook deliveries between the stream function (and the retries) and the webhook function. */
  webhookQueueUrl: 'MAILROOM_WEBHOOK_QUEUE_URL',
  /** Seconds before the first retry of a failed webhook delivery; the later waits are multiples of it (default 5; fractions allowed). */
  webhookRetryBaseSeconds: 'MAILROOM_WEBHOOK_RETRY_BASE_SECONDS',
  /** Webhook endpoints a tenant may register (default 10). */
  webhookMaxEndpoints: 'MAILROOM_WEBHOOK_MAX_ENDPOINTS',
  /** Ports an `https://` webhook URL may name, comma-separated (default 443). */
  webhookPorts: 'MAILROOM_WEBHOOK_PORTS',
  /**
   * MX host of the bounce domains (`inbound-smtp.<region>.amazonaws.com` with SES receiving, or
   * the host that runs local mode). When set, mail relayed through SMTP gets a return-path
   * (VERP) envelope sender and the domain records include the bounce domain's.
   */
  returnPathMx: 'MAILROOM_RETURN_PATH_MX',
  /** One bounce domain for every sending domain (default: `bounces.<sending domain>`). */
  bounceDomain: 'MAILROOM_BOUNCE_DOMAIN',
  /** Local mode: port of the inbound SMTP listener (default 2525, on 127.0.0.1). */
  inboundPort: 'MAILROOM_INBOUND_PORT',
  /** S3 bucket where SES receiving writes inbound mail (AWS). */
  inboundBucket: 'MAILROOM_INBOUND_BUCKET',
  /** `true` in local mode: webhook URLs may also be `http://` to loopback. */
  webhookHttpLoopback: 'MAILROOM_WEBHOOK_HTTP_LOOPBACK',
} as const;
