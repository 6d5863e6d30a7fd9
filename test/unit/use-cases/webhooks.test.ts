import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { InvalidWebhookUrlError, WebhookLimitError, WebhookNotFoundError } from '../../../lib/domain/webhook.ts';
import { signatureHeaders } from '../../../lib/domain/webhook-signature.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  signingSecrets,
  updateWebhook,
} from '../../../lib/use-cases/webhooks.ts';
import { webhookDeps } from '../../support/webhook-deps.ts';

const URL = 'https://hooks.example.com/mailroom';

describe('registering a webhook endpoint', () => {
  it('answers the endpoint with its secret, and keeps the secret only sealed', async () => {
    const deps = webhookDeps();
    const made = await createWebhook(deps, 'acme', { url: URL, events: ['bounced'], description: 'CRM' });
    expect(made).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      url: URL,
      events: ['bounced'],
      description: 'CRM',
      enabled: true,
      disabled_reason: null,
      failing_since: null,
      created_at: '2026-03-01T00:00:00.000Z',
      updated_at: '2026-03-01T00:00:00.000Z',
      secret: expect.stringMatching(/^whsec_/),
    });
    const stored = deps.webhooks.endpoints.get(`acme|${made.id}`)!;
    expect(JSON.stringify(stored)).not.toContain(made.secret.slice(6));
    expect(await signingSecrets(deps, stored)).toEqual([made.secret]);
    expect(await getWebhook(deps, 'acme', made.id)).toEqual({ ...made, secret: undefined });
  });

  it('refuses hosts that are or resolve to private addresses, or do not resolve', async () => {
    const deps = webhookDeps();
    for (const [url, problem] of [
      ['https://internal.example.com/in', 'resolves to 10.0.0.7, a private address'],
      ['https://169.254.169.254/latest/meta-data', 'resolves to 169.254.169.254, a link-local address'],
      ['https://[::ffff:127.0.0.1]/in', 'resolves to ::ffff:7f00:1, a loopback address'],
      ['https://nowhere.example.com/in', 'does not resolve to any address'],
    ]) {
      const error = await createWebhook(deps, 'acme', { url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidWebhookUrlError);
      expect((error as InvalidWebhookUrlError).details).toEqual([{ field: 'url', message: problem }]);
    }
    expect(deps.webhooks.endpoints.size).toBe(0);
  });

  it('keeps a tenant to its limit', async () => {
    const deps = webhookDeps();
    for (let i = 0; i < 3; i++) await createWebhook(deps, 'acme', { url: URL });
    await expect(createWebhook(deps, 'acme', { url: URL })).rejects.toBeInstanceOf(WebhookLimitError);
    await createWebhook(deps, 'other', { url: URL });
  });
});

describe('an endpoint after registration', () => {
  it('is the tenant’s alone', async () => {
    const deps = webhookDeps();
    const made = await createWebhook(deps, 'acme', { url: URL });
    await expect(getWebhook(deps, 'other', made.id)).rejects.toBeInstanceOf(WebhookNotFoundError);
    await expect(updateWebhook(deps, 'other', made.id, { enabled: false })).rejects.toBeInstanceOf(WebhookNotFoundError);
    await expect(rotateWebhookSecret(deps, 'other', made.id)).rejects.toBeInstanceOf(WebhookNotFoundError);
    await expect(deleteWebhook(deps, 'other', made.id)).rejects.toBeInstanceOf(WebhookNotFoundError);
    await expect(getWebhook(deps, 'acme', '../x')).rejects.toBeInstanceOf(WebhookNotFoundError);
  });

  it('lists in pages', async () => {
    const deps = webhookDeps();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createWebhook(deps, 'acme', { url: URL })).id);
    const first = await listWebhooks(deps, 'acme', { limit: '2' });
    expect(first.data.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(first.data[0]).not.toHaveProperty('secret');
    const rest = await listWebhooks(deps, 'acme', { limit: '2', cursor: first.next_cursor! });
    expect(rest).toEqual({ data: [expect.objectContaining({ id: ids[2] })], next_cursor: null });
    await expect(listWebhooks(deps, 'acme', { limit: '0' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('changes, checks a new URL, and starts afresh when enabled again', async () => {
    const deps = webhookDeps();
    const made = await createWebhook(deps, 'acme', { url: URL });
    await expect(updateWebhook(deps, 'acme', made.id, { url: 'https://internal.example.com/x' })).rejects.toBeInstanceOf(
      InvalidWebhookUrlError,
    );
    await deps.webhooks.noteFailure('acme', made.id, '2026-02-20T00:00:00.000Z');
    await deps.webhooks.disable('acme', made.id, 'failing', '2026-02-25T00:00:00.000Z');
    deps.clock.advance(60_000);
    const enabled = await updateWebhook(deps, 'acme', made.id, { enabled: true, events: ['delivered'] });
    expect(enabled).toMatchObject({
      enabled: true,
      events: ['delivered'],
      disabled_reason: null,
      failing_since: null,
      updated_at: '2026-03-01T00:01:00.000Z',
    });
    expect(deps.webhooks.endpoints.get(`acme|${made.id}`)?.version).toBe(3);
  });

  it('is deleted', async () => {
    const deps = webhookDeps();
    const made = await createWebhook(deps, 'acme', { url: URL });
    await deleteWebhook(deps, 'acme', made.id);
    await expect(getWebhook(deps, 'acme', made.id)).rejects.toBeInstanceOf(WebhookNotFoundError);
  });
});

describe('rotating the secret', () => {
  it('signs with the new and the previous secret for 24 hours, then with the new one only', async () => {
    const deps = webhookDeps();
    const made = await createWebhook(deps, 'acme', { url: URL });
    const rotated = await rotateWebhookSecret(deps, 'acme', made.id);
    expect(rotated).toEqual({ secret: expect.stringMatching(/^whsec_/), previous_secret_expires_at: '2026-03-02T00:00:00.000Z' });
    expect(rotated.secret).not.toBe(made.secret);

    const endpoint = deps.webhooks.endpoints.get(`acme|${made.id}`)!;
    const secrets = await signingSecrets(deps, endpoint);
    expect(secrets).toEqual([rotated.secret, made.secret]);
    const body = '{"type":"sent"}';
    const headers = signatureHeaders(secrets, 'msg-1', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(rotated.secret).verify(body, headers)).toEqual({ type: 'sent' });
    expect(new Webhook(made.secret).verify(body, headers)).toEqual({ type: 'sent' });

    deps.clock.advance(24 * 3600 * 1000);
    expect(await signingSecrets(deps, endpoint)).toEqual([rotated.secret]);
  });
});
