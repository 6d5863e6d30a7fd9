import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { WebhookJob } from '../../../lib/domain/webhook-delivery.ts';
import { deliverWebhook } from '../../../lib/use-cases/deliver-webhook.ts';
import { createWebhook } from '../../../lib/use-cases/webhooks.ts';
import { webhookDeps, type WebhookTestDeps } from '../../support/webhook-deps.ts';

const DOCUMENT = { version: 1, id: 'M1/bounced/a@b.test/1', type: 'bounced', tenant: 'acme', at: '2026-03-01T00:00:00.000Z' };

async function setUp(): Promise<{ deps: WebhookTestDeps; job: WebhookJob; secret: string; endpointId: string }> {
  const deps = webhookDeps();
  const made = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/in' });
  const job: WebhookJob = {
    deliveryId: '01JCX8R9G5V4S1M4Q5DRWY7N3A',
    tenant: 'acme',
    endpointId: made.id,
    eventId: DOCUMENT.id,
    type: DOCUMENT.type,
    body: JSON.stringify(DOCUMENT),
    attempt: 1,
  };
  return { deps, job, secret: made.secret, endpointId: made.id };
}

describe('a webhook try', () => {
  it('posts the document as it is, signed, and records the success', async () => {
    const { deps, job, secret } = await setUp();
    deps.clock.set(Date.now());
    expect(await deliverWebhook(deps, job)).toEqual({ kind: 'done' });
    const [request] = deps.webhookSender.requests;
    expect(request).toMatchObject({ url: 'https://hooks.example.com/in', body: job.body });
    expect(request!.headers['webhook-id']).toBe(job.deliveryId);
    expect(new Webhook(secret).verify(request!.body, request!.headers)).toEqual(DOCUMENT);
    expect(await deps.webhookDeliveries.get('acme', job.endpointId, job.deliveryId)).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 204,
      durationMs: 5,
    });
    expect(deps.webhookQueue.enqueued).toEqual([]);
    expect(deps.metrics.total('WebhookFailures')).toBe(0);
  });

  it('schedules the next try after a failure, with the same delivery id, until the schedule ends', async () => {
    const { deps, job } = await setUp();
    deps.webhookSender.answers.push({ statusCode: 500, error: 'answered 500', durationMs: 7 });
    await deliverWebhook(deps, job);
    expect(deps.webhookQueue.enqueued).toEqual([{ job: { ...job, attempt: 2, notBefore: '2026-03-01T00:00:05.000Z' }, delaySeconds: 5 }]);
    expect(await deps.webhookDeliveries.get('acme', job.endpointId, job.deliveryId)).toMatchObject({
      status: 'retrying',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'answered 500',
      nextAttemptAt: '2026-03-01T00:00:05.000Z',
    });
    expect(deps.webhooks.endpoints.get(`acme|${job.endpointId}`)?.failingSince).toBe('2026-03-01T00:00:00.000Z');
    expect(deps.metrics.total('WebhookFailures')).toBe(1);

    // The last try of the schedule fails for good.
    deps.webhookSender.answers.push({ error: 'timed out after 10 s', durationMs: 10_000 });
    await deliverWebhook(deps, { ...job, attempt: 12 });
    expect(deps.webhookQueue.enqueued).toHaveLength(1);
    expect(await deps.webhookDeliveries.get('acme', job.endpointId, job.deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: 'timed out after 10 s',
    });
    expect(await deps.webhookDeliveries.get('acme', job.endpointId, job.deliveryId)).not.toHaveProperty('lastStatusCode');
  });

  it('waits when it comes before its time, without sending', async () => {
    const { deps, job } = await setUp();
    expect(await deliverWebhook(deps, { ...job, attempt: 6, notBefore: '2026-03-01T10:00:00.000Z' })).toEqual({
      kind: 'wait',
      seconds: 36_000,
    });
    // Within a second of its time, it goes now.
    expect(await deliverWebhook(deps, { ...job, attempt: 6, notBefore: '2026-03-01T00:00:00.800Z' })).toEqual({ kind: 'done' });
    expect(deps.webhookSender.requests).toHaveLength(1);
  });

  it('disables the endpoint at a 410, with a notice, and does not retry', async () => {
    const { deps, job, endpointId } = await setUp();
    deps.webhookSender.answers.push({ statusCode: 410, error: 'answered 410', durationMs: 3 });
    await deliverWebhook(deps, job);
    expect(deps.webhookQueue.enqueued).toEqual([]);
    expect(deps.webhooks.endpoints.get(`acme|${endpointId}`)).toMatchObject({ enabled: false, disabledReason: 'gone' });
    expect(deps.notifier.notices).toEqual([
      {
        type: 'webhook.disabled',
        id: `acme/webhook.disabled/${endpointId}/2026-03-01T00:00:00.000Z`,
        tenant: 'acme',
        at: '2026-03-01T00:00:00.000Z',
        webhookId: endpointId,
        url: 'https://hooks.example.com/in',
        reason: 'gone',
        explanation: 'The endpoint answered 410 Gone.',
      },
    ]);
    // The retries still queued find it disabled: logged as failed, not sent.
    await deliverWebhook(deps, { ...job, deliveryId: '01JCX8R9G5V4S1M4Q5DRWY7N3B', attempt: 3 });
    expect(deps.webhookSender.requests).toHaveLength(1);
    expect(await deps.webhookDeliveries.get('acme', endpointId, '01JCX8R9G5V4S1M4Q5DRWY7N3B')).toMatchObject({
      status: 'failed',
      attempts: 0,
      lastError: 'endpoint disabled',
    });
  });

  it('disables an endpoint that failed every delivery for five days, once', async () => {
    const { deps, job, endpointId } = await setUp();
    for (const days of [0, 2, 4.99, 5, 5.1]) {
      deps.clock.set(Date.parse('2026-03-01T00:00:00.000Z') + days * 86_400_000);
      deps.webhookSender.answers.push({ statusCode: 503, error: 'answered 503', durationMs: 3 });
      await deliverWebhook(deps, job);
    }
    expect(deps.webhooks.endpoints.get(`acme|${endpointId}`)).toMatchObject({ enabled: false, disabledReason: 'failing' });
    expect(deps.notifier.notices).toHaveLength(1);
    expect(deps.notifier.notices[0]).toMatchObject({
      reason: 'failing',
      failingSince: '2026-03-01T00:00:00.000Z',
      at: '2026-03-06T00:00:00.000Z',
    });
    // The fifth delivery found it disabled and sent nothing.
    expect(deps.webhookSender.requests).toHaveLength(4);
  });

  it('forgets the failures after a success', async () => {
    const { deps, job, endpointId } = await setUp();
    deps.webhookSender.answers.push({ statusCode: 500, error: 'answered 500', durationMs: 3 });
    await deliverWebhook(deps, job);
    await deliverWebhook(deps, { ...job, attempt: 2 });
    expect(deps.webhooks.endpoints.get(`acme|${endpointId}`)?.failingSince).toBeUndefined();
  });

  it('does not send a delivery that already succeeded, nor one for a deleted endpoint', async () => {
    const { deps, job } = await setUp();
    await deliverWebhook(deps, job);
    await deliverWebhook(deps, job);
    await deliverWebhook(deps, { ...job, endpointId: '01JCX8R9G5V4S1M4Q5DRWY7N3Z' });
    expect(deps.webhookSender.requests).toHaveLength(1);
  });

  it('keeps the endpoint disabled when its notice cannot be published', async () => {
    const { deps, job, endpointId } = await setUp();
    deps.notifier.failing = true;
    deps.webhookSender.answers.push({ statusCode: 410, error: 'answered 410', durationMs: 3 });
    expect(await deliverWebhook(deps, job)).toEqual({ kind: 'done' });
    expect(deps.webhooks.endpoints.get(`acme|${endpointId}`)?.enabled).toBe(false);
    expect(deps.log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'webhook.disabled notice not published' }));
  });
});
