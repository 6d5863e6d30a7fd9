/**
 * Notifications about a tenant rather than a message, published on the same topic as message
 * events and to the tenant's webhooks: its sending was paused by the breaker, or mailroom
 * disabled one of its webhook endpoints.
 */
import type { SendingPausedNotice } from './reputation.ts';

/** mailroom disabled a webhook endpoint: it answered 410, or every delivery failed for days. */
export interface WebhookDisabledNotice {
  type: 'webhook.disabled';
  /** Deterministic (`<tenant>/webhook.disabled/<endpoint id>/<at>`), so subscribers can drop duplicates. */
  id: string;
  tenant: string;
  at: string;
  webhookId: string;
  url: string;
  reason: 'gone' | 'failing';
  /** One line saying why, for people. */
  explanation: string;
  /** Since when every delivery failed (`failing`). */
  failingSince?: string;
}

/** Notifications about tenants. */
export type TenantNotice = SendingPausedNotice | WebhookDisabledNotice;
