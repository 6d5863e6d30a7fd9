import { describe, expect, it } from 'vitest';
import { DELIVERY_ID, deliveryId, deliveryView, parseWebhookJob, succeeded, testDocument } from '../../../lib/domain/webhook-delivery.ts';
import { decodeTime } from 'ulid';

describe('delivery ids', () => {
  it('are the same for the same endpoint and document, and differ otherwise', () => {
    const at = '2026-03-04T05:06:07.089Z';
    const id = deliveryId('EP1', 'M1/sent/a@b.test/1', at);
    expect(id).toMatch(DELIVERY_ID);
    expect(deliveryId('EP1', 'M1/sent/a@b.test/1', at)).toBe(id);
    expect(deliveryId('EP2', 'M1/sent/a@b.test/1', at)).not.toBe(id);
    expect(deliveryId('EP1', 'M1/delivered/a@b.test/1', at)).not.toBe(id);
  });

  it('carry the event time like a ULID, so that they sort by it', () => {
    const earlier = deliveryId('EP1', 'a', '2026-03-04T05:06:07.089Z');
    const later = deliveryId('EP1', 'b', '2026-03-04T05:06:07.090Z');
    expect(decodeTime(earlier)).toBe(Date.parse('2026-03-04T05:06:07.089Z'));
    expect(earlier < later).toBe(true);
    // Never the address of the recipient in the event id.
    expect(deliveryId('EP1', 'M1/sent/a@b.test/1', '2026-03-04T05:06:07.089Z')).not.toMatch(/@/);
  });
});

describe('answers', () => {
  it('succeed with a 2xx status only', () => {
    expect(succeeded({ statusCode: 200, durationMs: 1 })).toBe(true);
    expect(succeeded({ statusCode: 204, durationMs: 1 })).toBe(true);
    expect(succeeded({ statusCode: 301, error: 'answered 301', durationMs: 1 })).toBe(false);
    expect(succeeded({ error: 'timed out after 10 s', durationMs: 10_000 })).toBe(false);
  });
});

describe('the delivery view', () => {
  it('shows the log fields, null where unknown, and not the body', () => {
    const view = deliveryView({
      id: 'D1',
      tenant: 'acme',
      endpointId: 'EP1',
      eventId: 'E1',
      type: 'sent',
      body: '{"secret":"no"}',
      status: 'retrying',
      attempts: 2,
      lastStatusCode: 500,
      lastError: 'answered 500',
      durationMs: 12,
      nextAttemptAt: '2026-03-04T05:11:07.000Z',
      createdAt: '2026-03-04T05:06:07.000Z',
      updatedAt: '2026-03-04T05:06:08.000Z',
    });
    expect(view).toEqual({
      id: 'D1',
      event_id: 'E1',
      type: 'sent',
      status: 'retrying',
      attempts: 2,
      last_status_code: 500,
      last_error: 'answered 500',
      duration_ms: 12,
      next_attempt_at: '2026-03-04T05:11:07.000Z',
      created_at: '2026-03-04T05:06:07.000Z',
      updated_at: '2026-03-04T05:06:08.000Z',
    });
  });

  it('has a test document naming the endpoint', () => {
    expect(testDocument('acme', 'EP1', 'T1', '2026-03-04T05:06:07.000Z')).toEqual({
      version: 1,
      id: 'T1',
      type: 'webhook.test',
      tenant: 'acme',
      at: '2026-03-04T05:06:07.000Z',
      detail: { webhook_id: 'EP1' },
    });
  });
});

describe('queued jobs', () => {
  const job = { deliveryId: 'D1', tenant: 'acme', endpointId: 'EP1', eventId: 'E1', type: 'sent', body: '{}', attempt: 2 };

  it('are read back as written', () => {
    expect(parseWebhookJob(JSON.stringify(job))).toEqual(job);
    expect(parseWebhookJob(JSON.stringify({ ...job, notBefore: '2026-03-01T00:00:00.000Z' }))).toEqual({
      ...job,
      notBefore: '2026-03-01T00:00:00.000Z',
    });
  });

  it('are refused when malformed', () => {
    for (const body of [
      '',
      'null',
      '[]',
      JSON.stringify({ ...job, attempt: 0 }),
      JSON.stringify({ ...job, tenant: '' }),
      JSON.stringify({ ...job, notBefore: 'soon' }),
    ]) {
      expect(parseWebhookJob(body)).toBeUndefined();
    }
  });
});
