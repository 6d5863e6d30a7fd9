import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { DeliveryNotFoundError, listDeliveries, retryDelivery, testWebhook } from '../../../lib/use-cases/webhook-deliveries.ts';
import { createWebhook } from '../../../lib/use-cases/webhooks.ts';
import { deliverWebhook } from '../../../lib/use-cases/deliver-webhook.ts';
import { webhookDeps } from '../../support/webhook-deps.ts';

describe('the test route’s try', () => {
  it('sends a signed webhook.test event now and answers with the delivery', async () => {
    const deps = webhookDeps();
    deps.clock.set(Date.now());
    const hook = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/in', events: ['bounced'] });
    const delivery = await testWebhook(deps, 'acme', hook.id);
    expect(delivery).toMatchObject({ type: 'webhook.test', status: 'succeeded', attempts: 1, last_status_code: 204 });
    const [request] = deps.webhookSender.requests;
    expect(new Webhook(hook.secret).verify(request!.body, request!.headers)).toEqual({
      version: 1,
      id: delivery.id,
      type: 'webhook.test',
      tenant: 'acme',
      at: expect.any(String),
      detail: { webhook_id: hook.id },
    });
    // Recorded as pending first, then with the outcome.
    expect(deps.webhookDeliveries.records.map((r) => r.status)).toEqual(['pending', 'succeeded']);
  });

  it('answers a failure as failed, not retried', async () => {
    const deps = webhookDeps();
    const hook = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/in' });
    deps.webhookSender.answers.push({ error: 'connection refused', durationMs: 2 });
    expect(await testWebhook(deps, 'acme', hook.id)).toMatchObject({
      status: 'failed',
      last_error: 'connection refused',
      last_status_code: null,
    });
    expect(deps.webhookQueue.enqueued).toEqual([]);
  });
});

describe('sending a delivery again', () => {
  async function failedOnce() {
    const deps = webhookDeps();
    const hook = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/in' });
    const job = {
      deliveryId: '01JCX8R9G5V4S1M4Q5DRWY7N3A',
      tenant: 'acme',
      endpointId: hook.id,
      eventId: 'E1',
      type: 'sent',
      body: '{"id":"E1"}',
      attempt: 1,
    };
    deps.webhookSender.answers.push({ statusCode: 500, error: 'answered 500', durationMs: 3 });
    await deliverWebhook(deps, job);
    return { deps, hook, job };
  }

  it('sends it now with the same id and body, and a success ends it', async () => {
    const { deps, hook, job } = await failedOnce();
    const delivery = await retryDelivery(deps, 'acme', hook.id, job.deliveryId);
    expect(delivery).toMatchObject({ id: job.deliveryId, status: 'succeeded', attempts: 2, next_attempt_at: null });
    expect(deps.webhookSender.requests.map((r) => [r.headers['webhook-id'], r.body])).toEqual([
      [job.deliveryId, job.body],
      [job.deliveryId, job.body],
    ]);
    expect(deps.webhooks.endpoints.get(`acme|${hook.id}`)?.failingSince).toBeUndefined();
    // The scheduled try finds it done.
    await deliverWebhook(deps, { ...job, attempt: 2 });
    expect(deps.webhookSender.requests).toHaveLength(2);
  });

  it('keeps the scheduled try of a delivery still retrying when it fails again', async () => {
    const { deps, hook, job } = await failedOnce();
    deps.webhookSender.answers.push({ statusCode: 502, error: 'answered 502', durationMs: 3 });
    expect(await retryDelivery(deps, 'acme', hook.id, job.deliveryId)).toMatchObject({
      status: 'retrying',
      attempts: 2,
      last_status_code: 502,
      next_attempt_at: '2026-03-01T00:00:05.000Z',
    });
  });

  it('is refused for a delivery of another endpoint or tenant', async () => {
    const { deps, hook, job } = await failedOnce();
    const other = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/other' });
    await expect(retryDelivery(deps, 'acme', other.id, job.deliveryId)).rejects.toBeInstanceOf(DeliveryNotFoundError);
    await expect(retryDelivery(deps, 'acme', hook.id, 'nope')).rejects.toBeInstanceOf(DeliveryNotFoundError);
    await expect(retryDelivery(deps, 'other', hook.id, job.deliveryId)).rejects.toThrow('Webhook endpoint not found.');
  });
});

describe('the delivery log', () => {
  it('lists an endpoint’s deliveries newest first', async () => {
    const deps = webhookDeps();
    const hook = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/in' });
    const first = await testWebhook(deps, 'acme', hook.id);
    const second = await testWebhook(deps, 'acme', hook.id);
    const page = await listDeliveries(deps, 'acme', hook.id, { limit: '1' });
    expect(page.data.map((d) => d.id)).toEqual([second.id]);
    expect(page.data[0]).not.toHaveProperty('body');
    expect((await listDeliveries(deps, 'acme', hook.id, { cursor: page.next_cursor! })).data.map((d) => d.id)).toEqual([first.id]);
  });
});
