/** Answers of the webhook routes: endpoints, a new secret, and the delivery log. */
import * as z from 'zod';
import { DELIVERY_STATUSES } from '../../domain/webhook-delivery.ts';
import { pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

const ENDPOINT_FIELDS = {
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()).describe('the types it receives; `["*"]`: all'),
  description: z.string(),
  enabled: z.boolean(),
  disabled_reason: z
    .enum(['gone', 'failing'])
    .nullable()
    .describe('why mailroom disabled it: `gone` (it answered 410), `failing` (every delivery failed for 5 days); null otherwise'),
  failing_since: TIMESTAMP.nullable().describe('since when every delivery failed; null after a success'),
  created_at: TIMESTAMP,
  updated_at: TIMESTAMP,
};

/** An endpoint, as every read answers it: never its secret. */
export const WEBHOOK = named('Webhook', z.strictObject(ENDPOINT_FIELDS));

/** `POST /v1/webhooks`: the endpoint and its secret, shown this once. */
export const WEBHOOK_CREATED = named(
  'WebhookCreated',
  z.strictObject({ ...ENDPOINT_FIELDS, secret: z.string().describe('`whsec_` and base64 of 32 random bytes; shown only now') }),
);

export const WEBHOOK_PAGE = pageOf('WebhookPage', WEBHOOK);

/** `POST /v1/webhooks/{id}/rotate-secret`. */
export const WEBHOOK_SECRET = named(
  'WebhookSecret',
  z.strictObject({
    secret: z.string().describe('the new secret, shown only now'),
    previous_secret_expires_at: TIMESTAMP.describe('until when deliveries also carry a signature by the previous secret'),
  }),
);

/** One delivery of a document to an endpoint. */
export const WEBHOOK_DELIVERY = named(
  'WebhookDelivery',
  z.strictObject({
    id: z.string().describe('the `webhook-id` of every try'),
    event_id: z.string().describe('the document’s `id`'),
    type: z.string().describe('the document’s `type`'),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int().min(0),
    last_status_code: z.int().nullable().describe('what the endpoint answered last; null when it did not answer'),
    last_error: z.string().nullable().describe('what went wrong last, in a few words; null after a success'),
    duration_ms: z.int().min(0).nullable(),
    next_attempt_at: TIMESTAMP.nullable().describe('when the next try is due (`retrying`)'),
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
  }),
);

export const WEBHOOK_DELIVERY_PAGE = pageOf('WebhookDeliveryPage', WEBHOOK_DELIVERY);
