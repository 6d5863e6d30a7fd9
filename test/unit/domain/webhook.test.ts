import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { EVENT_TYPES } from '../../../lib/domain/events.ts';
import {
  InvalidWebhookUrlError,
  parseWebhookInput,
  parseWebhookPatch,
  subscribesTo,
  WEBHOOK_EVENT_TYPES,
  webhookView,
  type WebhookEndpoint,
} from '../../../lib/domain/webhook.ts';
import { DEFAULT_WEBHOOK_URL_POLICY } from '../../../lib/domain/webhook-url.ts';

const AWS = DEFAULT_WEBHOOK_URL_POLICY;

function problems(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError || error instanceof InvalidWebhookUrlError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('a webhook endpoint to register', () => {
  it('takes a URL, event types and a description; all types and no description by default', () => {
    expect(parseWebhookInput({ url: 'https://Hooks.example.com/in' }, AWS)).toEqual({
      url: 'https://hooks.example.com/in',
      events: ['*'],
      description: '',
    });
    expect(
      parseWebhookInput({ url: 'https://hooks.example.com/in', events: ['bounced', 'sent', 'bounced'], description: 'CRM' }, AWS),
    ).toEqual({
      url: 'https://hooks.example.com/in',
      events: ['sent', 'bounced'],
      description: 'CRM',
    });
  });

  it('subscribes to the types of the notification documents, notices included', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([...EVENT_TYPES, 'sending_paused', 'webhook.disabled']);
    expect(parseWebhookInput({ url: 'https://h.example/in', events: ['webhook.disabled', 'sending_paused'] }, AWS).events).toEqual([
      'sending_paused',
      'webhook.disabled',
    ]);
  });

  it('names every bad field', () => {
    expect(problems(() => parseWebhookInput({ url: 7, events: ['sent', 'nope', '*'], extra: 1 }, AWS))).toEqual({
      code: 'invalid_request',
      details: expect.arrayContaining([
        { field: 'url', message: 'must be a string, not a number' },
        { field: 'extra', message: 'unknown field(s): extra' },
      ]),
    });
    expect(problems(() => parseWebhookInput({ url: 'https://h.example/in', events: ['sent', 'nope', '*'] }, AWS))).toEqual({
      code: 'invalid_request',
      details: [
        { field: 'events[1]', message: expect.stringMatching(/^must be "\*" or one of queued, /) },
        { field: 'events', message: '"*" means every type: give it alone' },
      ],
    });
    expect(problems(() => parseWebhookInput({ url: 'https://h.example/in', events: [] }, AWS))).toMatchObject({
      details: [{ field: 'events', message: 'give at least one event type, or leave events out for all' }],
    });
    expect(problems(() => parseWebhookInput({ url: 'https://h.example/in', description: 'a\u0000b' }, AWS))).toMatchObject({
      details: [{ field: 'description', message: 'must not contain control characters' }],
    });
  });

  it('answers invalid_webhook_url for a URL mailroom will not post to', () => {
    expect(problems(() => parseWebhookInput({ url: 'http://hooks.example.com/in' }, AWS))).toEqual({
      code: 'invalid_webhook_url',
      details: [{ field: 'url', message: 'must be an https:// URL' }],
    });
  });
});

describe('a change to an endpoint', () => {
  it('may change url, events, description and enabled', () => {
    expect(parseWebhookPatch({ enabled: false }, AWS)).toEqual({ enabled: false });
    expect(parseWebhookPatch({ url: 'https://h.example/new', events: ['*'], description: '' }, AWS)).toEqual({
      url: 'https://h.example/new',
      events: ['*'],
      description: '',
    });
  });

  it('must change something, and nothing else', () => {
    expect(problems(() => parseWebhookPatch({}, AWS))).toMatchObject({
      details: [{ field: '(body)', message: 'give url, events, description or enabled' }],
    });
    expect(problems(() => parseWebhookPatch({ secret: 'x' }, AWS))).toMatchObject({ code: 'invalid_request' });
    expect(problems(() => parseWebhookPatch({ url: 'https://h.example:22/x' }, AWS))).toMatchObject({ code: 'invalid_webhook_url' });
  });
});

describe('the event filter', () => {
  it('passes the types an endpoint subscribed to, and everything for "*"', () => {
    expect(subscribesTo({ events: ['bounced'] }, 'bounced')).toBe(true);
    expect(subscribesTo({ events: ['bounced'] }, 'delivered')).toBe(false);
    expect(subscribesTo({ events: ['*'] }, 'webhook.disabled')).toBe(true);
  });
});

describe('the endpoint view', () => {
  it('never shows the secret', () => {
    const endpoint: WebhookEndpoint = {
      id: '01JCX8R9G5V4S1M4Q5DRWY7N3A',
      tenant: 'acme',
      url: 'https://h.example/in',
      events: ['*'],
      description: '',
      enabled: false,
      disabledReason: 'gone',
      secret: { keyId: 'kek-1', iv: 'aXY=', tag: 'dGFn', ciphertext: 'c2VjcmV0' },
      version: 2,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-02T00:00:00.000Z',
    };
    expect(webhookView(endpoint)).toEqual({
      id: endpoint.id,
      url: endpoint.url,
      events: ['*'],
      description: '',
      enabled: false,
      disabled_reason: 'gone',
      failing_since: null,
      created_at: endpoint.createdAt,
      updated_at: endpoint.updatedAt,
    });
    expect(JSON.stringify(webhookView(endpoint))).not.toMatch(/secret|c2VjcmV0/);
  });
});
