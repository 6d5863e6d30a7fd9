import { describe, expect, it } from 'vitest';
import { makeEvent, type EventType } from '../../../lib/domain/events.ts';
import { notificationDocument } from '../../../lib/domain/notification-document.ts';
import { deliveryId } from '../../../lib/domain/webhook-delivery.ts';
import { WebhookFanout } from '../../../lib/use-cases/webhook-fanout.ts';
import { createWebhook, updateWebhook } from '../../../lib/use-cases/webhooks.ts';
import { webhookDeps } from '../../support/webhook-deps.ts';

const event = (tenant: string, type: EventType, n = 1) =>
  makeEvent({
    messageId: `M${n}`,
    tenant,
    recipient: `r${n}@b.test`,
    type,
    at: '2026-03-01T00:00:00.000Z',
    attempt: 1,
    tags: {},
    detail: {},
  });

describe('fanning events out to webhooks', () => {
  it('queues one first try per event and enabled endpoint of its tenant that wants its type', async () => {
    const deps = webhookDeps();
    const all = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/all' });
    const bounces = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/bounces', events: ['bounced'] });
    const off = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/off' });
    await updateWebhook(deps, 'acme', off.id, { enabled: false });
    await createWebhook(deps, 'other', { url: 'https://hooks.example.com/other' });
    const fanout = new WebhookFanout(deps);

    const sent = event('acme', 'sent');
    const bounced = event('acme', 'bounced', 2);
    await fanout.publish([sent, bounced]);

    const jobs = deps.webhookQueue.enqueued.map((e) => e.job);
    expect(jobs.map((j) => [j.endpointId, j.type])).toEqual([
      [all.id, 'sent'],
      [all.id, 'bounced'],
      [bounces.id, 'bounced'],
    ]);
    expect(jobs[0]).toEqual({
      deliveryId: deliveryId(all.id, sent.eventId, sent.at),
      tenant: 'acme',
      endpointId: all.id,
      eventId: sent.eventId,
      type: 'sent',
      body: JSON.stringify(notificationDocument(sent)),
      attempt: 1,
    });
    expect(deps.webhookQueue.enqueued.every((e) => e.delaySeconds === 0)).toBe(true);
  });

  it('queues nothing for tenants without endpoints, and tenant notices like events', async () => {
    const deps = webhookDeps();
    const fanout = new WebhookFanout(deps);
    await fanout.publish([event('nobody', 'sent')]);
    expect(deps.webhookQueue.enqueued).toEqual([]);

    const hook = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/all', events: ['webhook.disabled'] });
    await fanout.publishNotice({
      type: 'webhook.disabled',
      id: 'acme/webhook.disabled/X/2026-03-01T00:00:00.000Z',
      tenant: 'acme',
      at: '2026-03-01T00:00:00.000Z',
      webhookId: 'X',
      url: 'https://hooks.example.com/gone',
      reason: 'gone',
      explanation: 'The endpoint answered 410 Gone.',
    });
    expect(deps.webhookQueue.enqueued.map((e) => [e.job.endpointId, e.job.type])).toEqual([[hook.id, 'webhook.disabled']]);
  });

  it('fails, so that the stream batch is retried, when the queue refuses', async () => {
    const deps = webhookDeps();
    await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/all' });
    deps.webhookQueue.failing = true;
    await expect(new WebhookFanout(deps).publish([event('acme', 'sent')])).rejects.toThrow(/queue unavailable/);
  });
});
