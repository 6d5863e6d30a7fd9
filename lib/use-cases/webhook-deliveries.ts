/**
 * Tries of webhook deliveries made through the API, and the delivery log: send a
 * `webhook.test` event now, send a delivery again now, list an endpoint's recent deliveries.
 * Both sends answer with the try's outcome; neither changes the retry schedule of deliveries
 * the webhook function is working through.
 */
import { MailroomError } from '../domain/errors.ts';
import { TEST_EVENT_TYPE, type WebhookEndpoint } from '../domain/webhook.ts';
import {
  DELIVERY_ID,
  deliveryView,
  succeeded,
  testDocument,
  type WebhookAnswer,
  type WebhookDelivery,
} from '../domain/webhook-delivery.ts';
import { signatureHeaders } from '../domain/webhook-signature.ts';
import type { WebhookSender } from '../ports/webhook-sender.ts';
import type { AttemptRecord, WebhookDeliveryStore } from '../ports/webhook-store.ts';
import { pageLimit } from './lists.ts';
import { requireWebhook, signingSecrets, type WebhookEndpointDeps } from './webhooks.ts';

/** What sending a delivery needs: the secrets, the clock, and the sender. */
export type AttemptDeps = Pick<WebhookEndpointDeps, 'domainKey' | 'clock'> & { webhookSender: WebhookSender };

/** What the delivery routes need. */
export interface WebhookDeliveryDeps extends WebhookEndpointDeps, AttemptDeps {
  webhookDeliveries: WebhookDeliveryStore;
}

/** 404: no such delivery of this endpoint. */
export class DeliveryNotFoundError extends MailroomError {
  constructor() {
    super(404, 'delivery_not_found', 'Delivery not found.');
  }
}

/**
 * Sends one try of a delivery: the body as it is, signed now (a fresh timestamp each try, the
 * same `webhook-id`) by every secret that applies.
 */
export async function sendDelivery(
  deps: AttemptDeps,
  endpoint: WebhookEndpoint,
  delivery: { id: string; body: string },
): Promise<WebhookAnswer> {
  const secrets = await signingSecrets(deps, endpoint);
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  return deps.webhookSender.send({
    url: endpoint.url,
    headers: signatureHeaders(secrets, delivery.id, timestamp, delivery.body),
    body: delivery.body,
  });
}

/** The outcome fields of an answer, for the log. */
export function answerFields(answer: WebhookAnswer): Pick<AttemptRecord, 'statusCode' | 'error' | 'durationMs'> {
  return {
    ...(answer.statusCode !== undefined && { statusCode: answer.statusCode }),
    ...(answer.error !== undefined && { error: answer.error }),
    durationMs: answer.durationMs,
  };
}

/** Sends a `webhook.test` event to the endpoint now (enabled or not) and answers with the delivery. */
export async function testWebhook(deps: WebhookDeliveryDeps, tenant: string, rawId: string) {
  const endpoint = await requireWebhook(deps.webhooks, tenant, rawId);
  const id = deps.newId();
  const body = JSON.stringify(testDocument(tenant, endpoint.id, id, deps.clock.now().toISOString()));
  const delivery = { id, tenant, endpointId: endpoint.id, eventId: id, type: TEST_EVENT_TYPE, body };
  // Recorded first: a try that outlives the request still shows in the log, as pending.
  await deps.webhookDeliveries.record({ ...delivery, at: deps.clock.now().toISOString(), status: 'pending', attempted: false });
  const answer = await sendDelivery(deps, endpoint, delivery);
  const recorded = await deps.webhookDeliveries.record({
    ...delivery,
    at: deps.clock.now().toISOString(),
    status: succeeded(answer) ? 'succeeded' : 'failed',
    attempted: true,
    ...answerFields(answer),
  });
  return deliveryView(recorded);
}

async function requireDelivery(deps: WebhookDeliveryDeps, endpoint: WebhookEndpoint, rawId: string): Promise<WebhookDelivery> {
  const delivery = DELIVERY_ID.test(rawId) ? await deps.webhookDeliveries.get(endpoint.tenant, endpoint.id, rawId) : undefined;
  if (!delivery) throw new DeliveryNotFoundError();
  return delivery;
}

/**
 * Sends a delivery again now, whatever its status, with the same `webhook-id`. A delivery still
 * retrying keeps its next scheduled try should this one fail; one that succeeds is done.
 */
export async function retryDelivery(deps: WebhookDeliveryDeps, tenant: string, rawId: string, rawDeliveryId: string) {
  const endpoint = await requireWebhook(deps.webhooks, tenant, rawId);
  const delivery = await requireDelivery(deps, endpoint, rawDeliveryId);
  const answer = await sendDelivery(deps, endpoint, delivery);
  const ok = succeeded(answer);
  const stillRetrying = !ok && delivery.status === 'retrying';
  const { id, endpointId, eventId, type, body } = delivery;
  const recorded = await deps.webhookDeliveries.record({
    id,
    tenant,
    endpointId,
    eventId,
    type,
    body,
    at: deps.clock.now().toISOString(),
    status: ok ? 'succeeded' : stillRetrying ? 'retrying' : 'failed',
    attempted: true,
    ...answerFields(answer),
    ...(stillRetrying && delivery.nextAttemptAt && { nextAttemptAt: delivery.nextAttemptAt }),
  });
  if (ok) await deps.webhooks.noteSuccess(tenant, endpoint.id);
  return deliveryView(recorded);
}

/** A page of the endpoint's deliveries, newest first. */
export async function listDeliveries(deps: WebhookDeliveryDeps, tenant: string, rawId: string, query: { limit?: string; cursor?: string }) {
  const endpoint = await requireWebhook(deps.webhooks, tenant, rawId);
  const page = await deps.webhookDeliveries.list(tenant, endpoint.id, {
    limit: pageLimit(query.limit),
    ...(query.cursor && { cursor: query.cursor }),
  });
  return { data: page.items.map(deliveryView), next_cursor: page.cursor ?? null };
}
