import { describe, expect, it } from 'vitest';
import { noticeDocument } from '../../../lib/domain/notification-document.ts';

describe('the webhook.disabled notice', () => {
  it('is a versioned snake_case document naming the endpoint and why', () => {
    expect(
      noticeDocument({
        type: 'webhook.disabled',
        id: 'acme/webhook.disabled/EP1/2026-03-06T00:00:00.000Z',
        tenant: 'acme',
        at: '2026-03-06T00:00:00.000Z',
        webhookId: 'EP1',
        url: 'https://h.example/in',
        reason: 'failing',
        explanation: 'Every delivery failed for 5 days.',
        failingSince: '2026-03-01T00:00:00.000Z',
      }),
    ).toEqual({
      version: 1,
      id: 'acme/webhook.disabled/EP1/2026-03-06T00:00:00.000Z',
      type: 'webhook.disabled',
      tenant: 'acme',
      at: '2026-03-06T00:00:00.000Z',
      detail: {
        webhook_id: 'EP1',
        url: 'https://h.example/in',
        reason: 'failing',
        explanation: 'Every delivery failed for 5 days.',
        failing_since: '2026-03-01T00:00:00.000Z',
      },
    });
  });
});
