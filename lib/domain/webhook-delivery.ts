/**
 * Deliveries of documents to webhook endpoints: one per document and endpoint, tried until the
 * endpoint answers 2xx or the retry schedule ends (webhook-retry.ts), each try recorded for the
 * tenant's delivery log. A delivery's id is the `webhook-id` of every try, so a receiver can
 * drop repeats; it is derived from the endpoint and the document, so handing the same event
 * over twice (a retried stream batch) makes the same delivery, not a second one.
 */
import { createHash } from 'node:crypto';
import { EVENT_SCHEMA_VERSION } from './events.ts';
import { TEST_EVENT_TYPE } from './webhook.ts';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'retrying'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Delivery ids are ULID-shaped; anything else names no delivery. */
export const DELIVERY_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Days a delivery stays in the log (DynamoDB TTL): the retries of about three days and a margin to look back. */
export const DELIVERY_RETENTION_DAYS = 14;

/** A delivery as the log keeps it. */
export interface WebhookDelivery {
  id: string;
  tenant: string;
  endpointId: string;
  /** The document's `id` and `type`. */
  eventId: string;
  type: string;
  /** The document as sent (JSON), kept so that it can be sent again byte for byte. */
  body: string;
  status: DeliveryStatus;
  /** Tries so far, manual ones included. */
  attempts: number;
  lastStatusCode?: number;
  /** What went wrong on the last try, in a few words (never the endpoint's answer body). */
  lastError?: string;
  durationMs?: number;
  nextAttemptAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** One try to make, as it travels on the webhook queue. */
export interface WebhookJob {
  deliveryId: string;
  tenant: string;
  endpointId: string;
  eventId: string;
  type: string;
  body: string;
  /** 1 for the first try; the retry schedule counts from it. */
  attempt: number;
  /** ISO time before which the try is not made (a wait longer than the queue's longest delay). */
  notBefore?: string;
}

/** How an endpoint answered one try. */
export interface WebhookAnswer {
  /** The HTTP status, when it answered. */
  statusCode?: number;
  /** Set when it did not answer 2xx: the status, a timeout, a refused or failed connection. */
  error?: string;
  durationMs: number;
}

/** The job in a queue message body, or undefined when it is none. */
export function parseWebhookJob(body: string): WebhookJob | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const job = value as Record<string, unknown>;
  const strings = ['deliveryId', 'tenant', 'endpointId', 'eventId', 'type', 'body'] as const;
  if (!strings.every((name) => typeof job[name] === 'string' && job[name] !== '')) return undefined;
  if (typeof job.attempt !== 'number' || !Number.isInteger(job.attempt) || job.attempt < 1) return undefined;
  if (job.notBefore !== undefined && (typeof job.notBefore !== 'string' || Number.isNaN(Date.parse(job.notBefore)))) return undefined;
  return {
    deliveryId: job.deliveryId as string,
    tenant: job.tenant as string,
    endpointId: job.endpointId as string,
    eventId: job.eventId as string,
    type: job.type as string,
    body: job.body as string,
    attempt: job.attempt,
    ...(job.notBefore !== undefined && { notBefore: job.notBefore as string }),
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `bits` bits of `value` in Crockford base32, `length` characters. */
function base32(value: bigint, length: number): string {
  let out = '';
  for (let i = length - 1; i >= 0; i--) out += CROCKFORD[Number((value >> BigInt(5 * i)) & 31n)];
  return out;
}

/**
 * The id of the delivery of document `eventId` (time `at`) to `endpointId`: shaped like a ULID,
 * its time part the document's, so that ids sort by the time of the event; its other 80 bits
 * from a hash of the endpoint and the document, so that the same pair always has the same id.
 */
export function deliveryId(endpointId: string, eventId: string, at: string): string {
  const ms = BigInt(Math.max(0, Math.min(Date.parse(at) || 0, 2 ** 48 - 1)));
  const hash = createHash('sha256').update(`${endpointId}\n${eventId}`, 'utf8').digest();
  return base32(ms, 10) + base32(BigInt(`0x${hash.subarray(0, 10).toString('hex')}`), 16);
}

/** Whether an answer is a success (2xx). */
export function succeeded(answer: WebhookAnswer): boolean {
  return answer.statusCode !== undefined && answer.statusCode >= 200 && answer.statusCode < 300;
}

/** The document of a `webhook.test` event (`id` unique per test). */
export function testDocument(tenant: string, endpointId: string, id: string, at: string) {
  return { version: EVENT_SCHEMA_VERSION, id, type: TEST_EVENT_TYPE, tenant, at, detail: { webhook_id: endpointId } };
}

/** A delivery as the API shows it (without its body, which the endpoint has had). */
export function deliveryView(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    type: delivery.type,
    status: delivery.status,
    attempts: delivery.attempts,
    last_status_code: delivery.lastStatusCode ?? null,
    last_error: delivery.lastError ?? null,
    duration_ms: delivery.durationMs ?? null,
    next_attempt_at: delivery.nextAttemptAt ?? null,
    created_at: delivery.createdAt,
    updated_at: delivery.updatedAt,
  };
}
