/** Descriptions of the webhook routes. */
import { WEBHOOK_INPUT, WEBHOOK_PATCH } from '../../domain/webhook.ts';
import { named } from '../../http/documents/registry.ts';
import {
  WEBHOOK,
  WEBHOOK_CREATED,
  WEBHOOK_DELIVERY,
  WEBHOOK_DELIVERY_PAGE,
  WEBHOOK_PAGE,
  WEBHOOK_SECRET,
} from '../../http/documents/webhooks.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { PAGE_QUERY } from './common.ts';

const WEBHOOK_ID = 'the endpoint’s id';
const NO_WEBHOOK = '`webhook_not_found`: no endpoint of that id for this tenant.';
const OVERTAKEN = '`service_unavailable`: other changes of the same endpoint kept overtaking this one; retry.';
const BAD_URL =
  '`invalid_request`: a field breaks its rules (each in `details`); `invalid_webhook_url`: mailroom will not post to the URL (not https, another port, credentials, or a host that is or resolves to a private, loopback, link-local, unique-local, multicast or reserved address); `details` says why.';
const SIGNED =
  'Each request is signed to the Standard Webhooks specification (`webhook-id`, `webhook-timestamp`, `webhook-signature`); the body is the notification document.';

export const createWebhook: RouteDoc = {
  operationId: 'createWebhook',
  tag: 'Webhooks',
  summary: 'Register an endpoint',
  description: `Answers the signing secret, shown this once. ${SIGNED} A tenant has at most 10 endpoints unless configured otherwise.`,
  body: { schema: named('WebhookInput', WEBHOOK_INPUT) },
  responses: { 201: { description: 'The endpoint and its secret.', schema: WEBHOOK_CREATED } },
  errors: { 400: BAD_URL, 409: '`webhook_limit_reached`: the tenant has as many endpoints as it may.' },
};

export const listWebhooks: RouteDoc = {
  operationId: 'listWebhooks',
  tag: 'Webhooks',
  summary: 'List the endpoints, oldest first',
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of endpoints.', schema: WEBHOOK_PAGE } },
};

export const getWebhook: RouteDoc = {
  operationId: 'getWebhook',
  tag: 'Webhooks',
  summary: 'Read an endpoint',
  params: { id: WEBHOOK_ID },
  responses: { 200: { description: 'The endpoint (never its secret).', schema: WEBHOOK } },
  errors: { 404: NO_WEBHOOK },
};

export const updateWebhook: RouteDoc = {
  operationId: 'updateWebhook',
  tag: 'Webhooks',
  summary: 'Change an endpoint’s URL, event types, description or whether it is enabled',
  params: { id: WEBHOOK_ID },
  body: { schema: named('WebhookPatch', WEBHOOK_PATCH) },
  responses: { 200: { description: 'The endpoint as changed.', schema: WEBHOOK } },
  errors: { 400: BAD_URL, 404: NO_WEBHOOK, 503: OVERTAKEN },
};

export const deleteWebhook: RouteDoc = {
  operationId: 'deleteWebhook',
  tag: 'Webhooks',
  summary: 'Delete an endpoint',
  description: 'Tries still queued for it are dropped; its delivery log expires.',
  params: { id: WEBHOOK_ID },
  responses: { 204: { description: 'Deleted.' } },
  errors: { 404: NO_WEBHOOK, 503: OVERTAKEN },
};

export const testWebhook: RouteDoc = {
  operationId: 'testWebhook',
  tag: 'Webhooks',
  summary: 'Send a webhook.test event now',
  description: `Sent whatever the endpoint subscribed to, enabled or not; the answer is the delivery's outcome (not retried). ${SIGNED}`,
  params: { id: WEBHOOK_ID },
  responses: { 200: { description: 'The delivery, `succeeded` or `failed`.', schema: WEBHOOK_DELIVERY } },
  errors: { 404: NO_WEBHOOK },
};

export const rotateWebhookSecret: RouteDoc = {
  operationId: 'rotateWebhookSecret',
  tag: 'Webhooks',
  summary: 'Make a new signing secret',
  description: 'For 24 hours deliveries carry two signatures, by the new and by the previous secret.',
  params: { id: WEBHOOK_ID },
  responses: { 200: { description: 'The new secret, shown this once.', schema: WEBHOOK_SECRET } },
  errors: { 404: NO_WEBHOOK, 503: OVERTAKEN },
};

export const listWebhookDeliveries: RouteDoc = {
  operationId: 'listWebhookDeliveries',
  tag: 'Webhooks',
  summary: 'List an endpoint’s recent deliveries, newest first',
  description: 'Deliveries stay in the log for 14 days.',
  params: { id: WEBHOOK_ID },
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of deliveries.', schema: WEBHOOK_DELIVERY_PAGE } },
  errors: { 404: NO_WEBHOOK },
};

export const retryWebhookDelivery: RouteDoc = {
  operationId: 'retryWebhookDelivery',
  tag: 'Webhooks',
  summary: 'Send a delivery again now',
  description: 'With the same `webhook-id` and body. A delivery still retrying keeps its next scheduled try should this one fail.',
  params: { id: WEBHOOK_ID, deliveryId: 'the delivery’s id' },
  responses: { 200: { description: 'The delivery after this try.', schema: WEBHOOK_DELIVERY } },
  errors: { 404: `${NO_WEBHOOK} \`delivery_not_found\`: no delivery of that id for this endpoint.` },
};
