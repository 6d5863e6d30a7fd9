import type { Page } from '../domain/suppression.ts';
import type { DisabledReason, WebhookEndpoint } from '../domain/webhook.ts';
import type { DeliveryStatus, WebhookDelivery } from '../domain/webhook-delivery.ts';

/** A tenant's webhook endpoints, their secrets sealed. */
export interface WebhookStore {
  /** Stores a new endpoint unless the tenant has `max` already. @throws WebhookLimitError */
  create(endpoint: WebhookEndpoint, max: number): Promise<void>;
  get(tenant: string, id: string): Promise<WebhookEndpoint | undefined>;
  /** Endpoints in id (creation) order; `cursor` is opaque and comes from the previous page. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookEndpoint>>;
  /** Every endpoint of the tenant (a few: the tenant's limit), read consistently: what events are fanned out to. */
  all(tenant: string): Promise<WebhookEndpoint[]>;
  /** Replaces `current` with `next` unless the stored endpoint is no longer `current`'s version: false then, or when it was deleted. */
  replace(current: WebhookEndpoint, next: WebhookEndpoint): Promise<boolean>;
  /** Removes `current` unless it changed since: false then, or when there was none. */
  delete(current: WebhookEndpoint): Promise<boolean>;
  /** Notes a failed delivery: since when the endpoint fails (set now unless set), or undefined when it is gone. */
  noteFailure(tenant: string, id: string, at: string): Promise<string | undefined>;
  /** Notes a successful delivery: the endpoint fails no longer. */
  noteSuccess(tenant: string, id: string): Promise<void>;
  /** Disables an enabled endpoint, mailroom's doing: true when this call disabled it, false when it was disabled or gone. */
  disable(tenant: string, id: string, reason: DisabledReason, at: string): Promise<boolean>;
}

/** What one try of a delivery came to, as the log records it. */
export interface AttemptRecord {
  /** The delivery and its document (kept from the first record on). */
  id: string;
  tenant: string;
  endpointId: string;
  eventId: string;
  type: string;
  body: string;
  /** When the try ended. */
  at: string;
  status: DeliveryStatus;
  /** Whether a request was made (false: recorded without one, e.g. for a disabled endpoint). */
  attempted: boolean;
  statusCode?: number;
  error?: string;
  durationMs?: number;
  nextAttemptAt?: string;
}

/** The delivery log: one record per delivery, kept DELIVERY_RETENTION_DAYS. */
export interface WebhookDeliveryStore {
  /** A delivery's record; `firstTry`: read for the delivery's first try, when no record of it is expected. */
  get(tenant: string, endpointId: string, id: string, options?: { firstTry?: boolean }): Promise<WebhookDelivery | undefined>;
  /** An endpoint's deliveries, newest first; `cursor` is opaque and comes from the previous page. */
  list(tenant: string, endpointId: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookDelivery>>;
  /** Creates or updates the record with a try's outcome (attempts counted up when `attempted`); answers the record as now stored. */
  record(attempt: AttemptRecord): Promise<WebhookDelivery>;
}
