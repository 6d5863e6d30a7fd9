/**
 * The names mailroom's own CloudWatch metrics are published under (embedded metric format), shared by the
 * functions that emit them and the stack's alarms and dashboard, so the two cannot drift apart.
 *
 * Dimensions stay few: every metric carries `service` (always {@link METRICS_SERVICE}); delivery outcomes
 * also carry `Relay` (`ses` or `smtp`), and bounces `BounceType` (`hard` or `soft`). Never a tenant, domain
 * or address: each distinct dimension value is a separately billed metric.
 */
export const METRICS_NAMESPACE = 'mailroom';

/** The `service` dimension's value, the same in every function (POWERTOOLS_SERVICE_NAME). */
export const METRICS_SERVICE = 'mailroom';

export const METRIC = {
  /** Messages accepted by the API or SMTP (count). */
  accepted: 'MessagesAccepted',
  /** Messages refused at acceptance: suppressed, invalid, over a limit (count). */
  rejected: 'MessagesRejected',
  /** Messages the relay accepted (count, with Relay). */
  sent: 'MessagesSent',
  /** Attempts the relay refused for now, to be retried (count, with Relay). */
  deferred: 'MessagesDeferred',
  /** Bounces (count, with Relay and BounceType). */
  bounced: 'MessagesBounced',
  /** Complaints (count, with Relay). */
  complained: 'MessagesComplained',
  /** Messages given up on: permanent relay refusal or retry deadline passed (count, with Relay). */
  failed: 'MessagesFailed',
  /** From acceptance to the relay's answer (milliseconds, with Relay). */
  acceptToSent: 'AcceptToSentLatency',
  /** How long the relay took to answer one attempt (milliseconds, with Relay). */
  relayAnswerTime: 'RelayAnswerTime',
  /** Notifications that could not be published (count). */
  notificationFailures: 'NotificationFailures',
  /** Webhook deliveries that failed (count). */
  webhookFailures: 'WebhookFailures',
} as const;

export const METRIC_DIMENSION = {
  service: 'service',
  relay: 'Relay',
  bounceType: 'BounceType',
} as const;

export const RELAY_KINDS = ['ses', 'smtp'] as const;
export const BOUNCE_TYPES = ['hard', 'soft'] as const;
