/**
 * Webhook endpoints through the real API handler on DynamoDB Local: registering (the secret
 * shown once), validation and refused URLs, the per-tenant limit, pagination, scopes, tenant
 * isolation, changes, rotation, tests and re-sends against a receiver on loopback, the log.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiHarness, expectErrorDocument, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let admin: string;
let reader: string;
let sender: string;
let other: string;
let server: Server;
let url: string;
let received: { headers: Record<string, string>; body: string }[] = [];
let statuses: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  api = await apiHarness({
    env: {
      MAILROOM_DOMAIN_KEY_SECRET: randomBytes(32).toString('base64'),
      MAILROOM_WEBHOOK_HTTP_LOOPBACK: 'true',
      MAILROOM_WEBHOOK_MAX_ENDPOINTS: '3',
    },
  });
  admin = await api.newKey('tenant-a', ['admin']);
  reader = await api.newKey('tenant-a', ['read']);
  sender = await api.newKey('tenant-a', ['send', 'read']);
  other = await api.newKey('tenant-b', ['admin']);
});
afterAll(async () => {
  api.close();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  statuses = [];
});

const as = (key: string, method: string, path: string, body?: unknown) => {
  const [rawPath = path, query] = path.split('?');
  return api.call(method, rawPath, {
    key,
    ...(query && { query: Object.fromEntries(new URLSearchParams(query)) }),
    ...(body !== undefined && { body }),
  });
};

async function register(body: Record<string, unknown> = {}, key = admin) {
  const answer = await as(key, 'POST', '/v1/webhooks', { url, ...body });
  expect(answer.status, answer.text).toBe(201);
  return answer.body;
}

async function removeAll(key: string) {
  for (const hook of (await as(key, 'GET', '/v1/webhooks')).body.data)
    expect((await as(key, 'DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
}

describe('registering', () => {
  it('answers 201 with the secret, once; reads never show it', async () => {
    const made = await register({ events: ['bounced', 'complained'], description: 'CRM' });
    expect(made).toEqual({
      id: expect.any(String),
      url,
      events: ['bounced', 'complained'],
      description: 'CRM',
      enabled: true,
      disabled_reason: null,
      failing_since: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const read = await as(reader, 'GET', `/v1/webhooks/${made.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ...made, secret: undefined });
    expect(read.text).not.toContain(made.secret.slice(6));
    await removeAll(admin);
  });

  it('refuses bad fields with invalid_request and bad URLs with invalid_webhook_url', async () => {
    expectErrorDocument(await as(admin, 'POST', '/v1/webhooks', { url, events: ['nope'] }), 400, 'invalid_request');
    for (const [bad, message] of [
      ['https://10.0.0.1/hook', 'resolves to 10.0.0.1, a private address'],
      ['https://169.254.169.254/latest/meta-data/', 'resolves to 169.254.169.254, a link-local address'],
      ['https://[fd00:ec2::254]/', 'resolves to fd00:ec2::254, a unique-local address'],
      ['http://192.168.0.10:8080/hook', 'may use http:// only to this machine (loopback)'],
      ['https://localhost/hook', /^resolves to (127\.0\.0\.1|::1), a loopback address$/],
      ['ftp://example.com/hook', 'must be an https:// URL, or an http:// URL to this machine'],
    ] as const) {
      const answer = await as(admin, 'POST', '/v1/webhooks', { url: bad });
      expectErrorDocument(answer, 400, 'invalid_webhook_url');
      expect(answer.body.error.details).toEqual([
        { field: 'url', message: typeof message === 'string' ? message : expect.stringMatching(message) },
      ]);
    }
    expect((await as(admin, 'GET', '/v1/webhooks')).body.data).toEqual([]);
  });

  it('keeps a tenant to its limit (MAILROOM_WEBHOOK_MAX_ENDPOINTS)', async () => {
    for (let i = 0; i < 3; i++) await register();
    expectErrorDocument(await as(admin, 'POST', '/v1/webhooks', { url }), 409, 'webhook_limit_reached');
    await register({}, other);
    await removeAll(admin);
    await removeAll(other);
  });
});

describe('scopes and tenants', () => {
  it('lets read keys list and read, and only admin keys change', async () => {
    const made = await register();
    expect((await as(reader, 'GET', '/v1/webhooks')).status).toBe(200);
    expect((await as(reader, 'GET', `/v1/webhooks/${made.id}/deliveries`)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/v1/webhooks', { url }],
      ['PATCH', `/v1/webhooks/${made.id}`, { enabled: false }],
      ['DELETE', `/v1/webhooks/${made.id}`, undefined],
      ['POST', `/v1/webhooks/${made.id}/test`, undefined],
      ['POST', `/v1/webhooks/${made.id}/rotate-secret`, undefined],
    ] as const) {
      expectErrorDocument(await as(reader, method, path, body), 403, 'forbidden');
      expectErrorDocument(await as(sender, method, path, body), 403, 'forbidden');
    }
    expect(received).toEqual([]);
    await removeAll(admin);
  });

  it('hides one tenant’s endpoints from another', async () => {
    const made = await register();
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${made.id}`],
      ['PATCH', `/v1/webhooks/${made.id}`],
      ['DELETE', `/v1/webhooks/${made.id}`],
      ['POST', `/v1/webhooks/${made.id}/test`],
      ['POST', `/v1/webhooks/${made.id}/rotate-secret`],
      ['GET', `/v1/webhooks/${made.id}/deliveries`],
    ] as const) {
      expectErrorDocument(await as(other, method, path, method === 'PATCH' ? { enabled: false } : undefined), 404, 'webhook_not_found');
    }
    expect((await as(other, 'GET', '/v1/webhooks')).body.data).toEqual([]);
    expect(received).toEqual([]);
    await removeAll(admin);
  });
});

describe('an endpoint', () => {
  it('lists in pages, oldest first', async () => {
    const ids = [(await register()).id, (await register()).id, (await register()).id];
    const first = await as(reader, 'GET', '/v1/webhooks?limit=2');
    expect(first.body.data.map((h: { id: string }) => h.id)).toEqual(ids.slice(0, 2));
    const rest = await as(reader, 'GET', `/v1/webhooks?limit=2&cursor=${first.body.next_cursor}`);
    expect(rest.body).toEqual({ data: [expect.objectContaining({ id: ids[2] })], next_cursor: null });
    await removeAll(admin);
  });

  it('changes url, events, description and enabled', async () => {
    const made = await register();
    const changed = await as(admin, 'PATCH', `/v1/webhooks/${made.id}`, {
      url: `${url}/v2`,
      events: ['sent'],
      description: 'v2',
      enabled: false,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ url: `${url}/v2`, events: ['sent'], description: 'v2', enabled: false });
    expectErrorDocument(await as(admin, 'PATCH', `/v1/webhooks/${made.id}`, { url: 'https://10.1.1.1/' }), 400, 'invalid_webhook_url');
    expectErrorDocument(await as(admin, 'PATCH', `/v1/webhooks/${made.id}`, { secret: 'mine' }), 400, 'invalid_request');
    await removeAll(admin);
  });

  it('answers a test with the delivery’s outcome, signed with the secret', async () => {
    const made = await register({ events: ['bounced'] });
    const answer = await as(admin, 'POST', `/v1/webhooks/${made.id}/test`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'webhook.test', status: 'succeeded', attempts: 1, last_status_code: 200, last_error: null });
    expect(received).toHaveLength(1);
    const document = new Webhook(made.secret).verify(received[0]!.body, received[0]!.headers);
    expect(document).toMatchObject({ type: 'webhook.test', tenant: 'tenant-a', detail: { webhook_id: made.id } });
    expect(received[0]!.headers['webhook-id']).toBe(answer.body.id);
    expect(received[0]!.headers['user-agent']).toMatch(/^mailroom\//);

    statuses = [503];
    expect((await as(admin, 'POST', `/v1/webhooks/${made.id}/test`)).body).toMatchObject({
      status: 'failed',
      last_status_code: 503,
      last_error: 'answered 503',
    });
    await removeAll(admin);
  });

  it('rotates its secret: for a day deliveries carry a valid signature by each', async () => {
    const made = await register();
    const rotated = await as(admin, 'POST', `/v1/webhooks/${made.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ secret: expect.stringMatching(/^whsec_/), previous_secret_expires_at: expect.any(String) });
    expect(Date.parse(rotated.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);
    await as(admin, 'POST', `/v1/webhooks/${made.id}/test`);
    const [{ headers, body }] = received as [{ headers: Record<string, string>; body: string }];
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.body.secret).verify(body, headers)).toMatchObject({ type: 'webhook.test' });
    expect(new Webhook(made.secret).verify(body, headers)).toMatchObject({ type: 'webhook.test' });
    await removeAll(admin);
  });

  it('keeps a log of deliveries, newest first, and sends one again with the same id', async () => {
    const made = await register();
    statuses = [500];
    const failed = (await as(admin, 'POST', `/v1/webhooks/${made.id}/test`)).body;
    const succeeded = (await as(admin, 'POST', `/v1/webhooks/${made.id}/test`)).body;
    const log = await as(reader, 'GET', `/v1/webhooks/${made.id}/deliveries`);
    expect(log.body.data.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([
      [succeeded.id, 'succeeded'],
      [failed.id, 'failed'],
    ]);
    expect(log.body.data[1]).toEqual({
      id: failed.id,
      event_id: failed.event_id,
      type: 'webhook.test',
      status: 'failed',
      attempts: 1,
      last_status_code: 500,
      last_error: 'answered 500',
      duration_ms: expect.any(Number),
      next_attempt_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const again = await as(admin, 'POST', `/v1/webhooks/${made.id}/deliveries/${failed.id}/retry`);
    expect(again.body).toMatchObject({ id: failed.id, status: 'succeeded', attempts: 2, last_status_code: 200 });
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([failed.id, succeeded.id, failed.id]);
    expect(received[2]!.body).toBe(received[0]!.body);
    expectErrorDocument(
      await as(admin, 'POST', `/v1/webhooks/${made.id}/deliveries/01JCX8R9G5V4S1M4Q5DRWY7N3A/retry`),
      404,
      'delivery_not_found',
    );
    await removeAll(admin);
  });
});
