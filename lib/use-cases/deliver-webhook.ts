/**
 * One try of a webhook delivery, as the webhook function makes it from the queue:
 *
 * - a 2xx answer is success; the endpoint fails no longer;
 * - `410 Gone` disables the endpoint at once: no retry;
 * - anything else (another status, a timeout, a refused or failed connection) is tried again
 *   after the next wait of the schedule (webhook-retry.ts), until the schedule ends; an endpoint
 *   whose every delivery failed for five days is disabled.
 *
 * Disabling publishes a `webhook.disabled` notice (SNS topic and the tenant's other endpoints).
 * A delivery already succeeded (sent again through the API, or handed over twice) is not sent
 * again; one for a deleted endpoint is dropped; one for a disabled endpoint is logged as failed.
 */
import { failedTooLong, retryDelaySeconds } from '../domain/webhook-retry.ts';
import type { DisabledReason, WebhookEndpoint } from '../domain/webhook.ts';
import { succeeded, type WebhookJob } from '../domain/webhook-delivery.ts';
import type { WebhookDisabledNotice } from '../domain/tenant-notice.ts';
import { METRIC } from '../observability/metric-names.ts';
import type { Log } from '../ports/logger.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { WebhookQueue } from '../ports/webhook-queue.ts';
import type { WebhookDeliveryStore, WebhookStore } from '../ports/webhook-store.ts';
import { answerFields, sendDelivery, type AttemptDeps } from './webhook-deliveries.ts';

export interface DeliverWebhookDeps extends AttemptDeps {
  webhooks: WebhookStore;
  webhookDeliveries: WebhookDeliveryStore;
  webhookQueue: WebhookQueue;
  /** Where `webhook.disabled` notices go: the topic and the tenant's other endpoints. */
  notifier: Notifier;
  /** MAILROOM_WEBHOOK_RETRY_BASE_SECONDS. */
  retryBaseSeconds: number;
  log: Log;
  /** Counts the tries that failed (WebhookFailures); absent: nothing is counted. */
  metrics?: Metrics;
  /** A number in [0, 1) that spreads the waits (Math.random unless a test fixes it). */
  random?: () => number;
}

/** What became of a job: done (whatever the outcome), or not due for `seconds` yet. */
export type WebhookJobOutcome = { kind: 'done' } | { kind: 'wait'; seconds: number };

/** Waits shorter than this are not worth a postponement: the try is made now. */
const EARLY_TOLERANCE_MS = 1000;

const EXPLANATIONS: Record<DisabledReason, string> = {
  gone: 'The endpoint answered 410 Gone.',
  failing: 'Every delivery to the endpoint failed for 5 days.',
};

/** Disables the endpoint and, when this call did, publishes the notice. */
async function disable(deps: DeliverWebhookDeps, endpoint: WebhookEndpoint, reason: DisabledReason, failingSince?: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  if (!(await deps.webhooks.disable(endpoint.tenant, endpoint.id, reason, at))) return;
  deps.log.warn('webhook endpoint disabled', { tenant: endpoint.tenant, webhookId: endpoint.id, reason });
  const notice: WebhookDisabledNotice = {
    type: 'webhook.disabled',
    id: `${endpoint.tenant}/webhook.disabled/${endpoint.id}/${at}`,
    tenant: endpoint.tenant,
    at,
    webhookId: endpoint.id,
    url: endpoint.url,
    reason,
    explanation: EXPLANATIONS[reason],
    ...(failingSince && { failingSince }),
  };
  try {
    await deps.notifier.publishNotice(notice);
  } catch (error) {
    // The endpoint stays disabled and its state says why; the notice alone is lost.
    deps.log.error('webhook.disabled notice not published', { tenant: endpoint.tenant, webhookId: endpoint.id, error: String(error) });
  }
}

/** Makes the try a job asks for, records it, and schedules the next one when it failed. */
export async function deliverWebhook(deps: DeliverWebhookDeps, job: WebhookJob): Promise<WebhookJobOutcome> {
  const early = job.notBefore ? Date.parse(job.notBefore) - deps.clock.now().getTime() : 0;
  if (early > EARLY_TOLERANCE_MS) return { kind: 'wait', seconds: Math.ceil(early / 1000) };
  const endpoint = await deps.webhooks.get(job.tenant, job.endpointId);
  if (!endpoint) return { kind: 'done' };
  const existing = await deps.webhookDeliveries.get(job.tenant, job.endpointId, job.deliveryId, { firstTry: job.attempt === 1 });
  if (existing?.status === 'succeeded') return { kind: 'done' };
  const delivery = {
    id: job.deliveryId,
    tenant: job.tenant,
    endpointId: job.endpointId,
    eventId: job.eventId,
    type: job.type,
    body: job.body,
  };
  if (!endpoint.enabled) {
    const at = deps.clock.now().toISOString();
    await deps.webhookDeliveries.record({ ...delivery, at, status: 'failed', attempted: false, error: 'endpoint disabled' });
    return { kind: 'done' };
  }

  const answer = await sendDelivery(deps, endpoint, delivery);
  const now = deps.clock.now();
  if (succeeded(answer)) {
    await deps.webhookDeliveries.record({
      ...delivery,
      at: now.toISOString(),
      status: 'succeeded',
      attempted: true,
      ...answerFields(answer),
    });
    if (endpoint.failingSince) await deps.webhooks.noteSuccess(job.tenant, job.endpointId);
    return { kind: 'done' };
  }
  deps.metrics?.count(METRIC.webhookFailures);
  const gone = answer.statusCode === 410;
  const wait = gone ? undefined : retryDelaySeconds(job.attempt, deps.retryBaseSeconds, deps.random);
  const next = wait === undefined ? undefined : new Date(now.getTime() + wait * 1000).toISOString();
  await deps.webhookDeliveries.record({
    ...delivery,
    at: now.toISOString(),
    status: next ? 'retrying' : 'failed',
    attempted: true,
    ...answerFields(answer),
    ...(next && { nextAttemptAt: next }),
  });
  if (next) await deps.webhookQueue.enqueue([{ ...job, attempt: job.attempt + 1, notBefore: next }], wait);
  deps.log.info('webhook delivery failed', {
    tenant: job.tenant,
    webhookId: job.endpointId,
    deliveryId: job.deliveryId,
    attempt: job.attempt,
    ...(answer.statusCode !== undefined && { statusCode: answer.statusCode }),
    retrying: Boolean(next),
  });
  if (gone) {
    await disable(deps, endpoint, 'gone');
    return { kind: 'done' };
  }
  const failingSince = await deps.webhooks.noteFailure(job.tenant, job.endpointId, now.toISOString());
  if (failingSince && failedTooLong(failingSince, now)) await disable(deps, endpoint, 'failing', failingSince);
  return { kind: 'done' };
}
