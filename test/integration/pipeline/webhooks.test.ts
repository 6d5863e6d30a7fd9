/**
 * Webhooks through local mode, as issue 15's "done when" asks: endpoints on loopback receive the
 * types they subscribed to and no others, each request verified with `standardwebhooks`; a
 * failing endpoint gets the same `webhook-id` on each retry; 410 disables; a rotation yields two
 * valid signatures; a private-address URL is refused; a slow endpoint does not delay another
 * tenant's webhooks.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describedRoutes } from '../../../lib/handlers/api-handler.ts';
import { openApiDocument } from '../../../lib/http/openapi.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { AnswerChecker } from '../../support/openapi-answers.ts';
import { call as callApi, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';
import { waitFor } from '../../support/wait.ts';
import { startWebhookReceiver, type WebhookReceiver, type WebhookScript } from '../../support/webhook-receiver.ts';

const checker = new AnswerChecker(openApiDocument(describedRoutes()));

/** Calls the API, and checks that the answer is what the OpenAPI document says of the route. */
async function call(...args: Parameters<typeof callApi>) {
  const answer = await callApi(...args);
  const [, method, path] = args;
  expect(checker.problems(method, path.split('?')[0]!, answer.status, answer.body)).toEqual([]);
  return answer;
}

let remote: RemoteSmtp;
let runtime: LocalRuntime;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  remote = await startRemoteSmtp((address) => (address.startsWith('gone') ? { code: 550, text: '5.1.1 user unknown' } : undefined));
  // Retries after about 0.05 s, then 3 s: the schedule of days, in seconds.
  runtime = await startPipeline({ relay: remote.url, env: { MAILROOM_WEBHOOK_RETRY_BASE_SECONDS: '0.05' } });
});
afterEach(async () => {
  for (const hook of (await call(runtime, 'GET', '/v1/webhooks')).body.data) await call(runtime, 'DELETE', `/v1/webhooks/${hook.id}`);
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
});

async function receiver(script?: WebhookScript): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(script);
  receivers.push(started);
  return started;
}

async function register(url: string, events?: string[], headers: Record<string, string> = {}) {
  const answer = await call(runtime, 'POST', '/v1/webhooks', { url, ...(events && { events }) }, headers);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; secret: string };
}

async function send(to: string, headers: Record<string, string> = {}): Promise<string> {
  const sent = await call(runtime, 'POST', '/v1/messages', { from: 'app@shop.test', to, subject: 's', text: 't' }, headers);
  expect(sent.status).toBe(202);
  return sent.body.id;
}

/** The documents of a receiver's requests, each verified against the secret first. */
function verified(hook: WebhookReceiver, secret: string) {
  return hook.received.map(
    (request) => new Webhook(secret).verify(request.body, request.headers) as { id: string; type: string; message_id?: string },
  );
}

describe('webhooks in local mode', () => {
  it('deliver every subscribed type and no other, signed, the body exactly the notification document', async () => {
    const [all, some] = [await receiver(), await receiver()];
    const everything = await register(all.url);
    const bounces = await register(some.url, ['sent', 'bounced']);
    const ok = await send('ok@remote.test');
    const gone = await send('gone@remote.test');
    await waitForMessage(runtime, ok, (m) => m.status === 'sent');
    await waitForMessage(runtime, gone, (m) => m.status === 'bounced');
    // Nothing left to send: the queues are drained, so what did not come will not come.
    await settled(runtime);

    const types = (docs: { type: string; message_id?: string }[]) =>
      docs.map((d) => `${d.message_id === ok ? 'ok' : 'gone'}:${d.type}`).sort();
    expect(types(verified(all, everything.secret))).toEqual(['gone:bounced', 'gone:queued', 'ok:queued', 'ok:sent']);
    expect(types(verified(some, bounces.secret))).toEqual(['gone:bounced', 'ok:sent']);
    // One request per event, its body byte for byte what the topic publishes.
    const published = runtime.notifier.recent().filter((d) => d.message_id === ok || d.message_id === gone);
    expect(all.received.map((r) => r.body).sort()).toEqual(published.map((d) => JSON.stringify(d)).sort());
    for (const request of all.received) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/^mailroom\/\d+\.\d+\.\d+/);
    }
    // Each delivery is in the endpoint's log.
    const log = await call(runtime, 'GET', `/v1/webhooks/${bounces.id}/deliveries`);
    expect(log.body.data.map((d: { type: string; status: string }) => [d.type, d.status]).sort()).toEqual([
      ['bounced', 'succeeded'],
      ['sent', 'succeeded'],
    ]);
  });

  it('retry an endpoint that answered 500 twice, the third try arriving with the same webhook-id', async () => {
    const flaky = await receiver((n) => ({ status: n <= 2 ? 500 : 200 }));
    const hook = await register(flaky.url, ['sent']);
    const id = await send('ok@remote.test');
    await flaky.waitFor(3);
    const ids = flaky.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    expect(verified(flaky, hook.secret).map((d) => [d.type, d.message_id])).toEqual([
      ['sent', id],
      ['sent', id],
      ['sent', id],
    ]);
    // The second wait of the schedule is 60 bases: 3 s ± 20 %.
    expect(flaky.received[2]!.at - flaky.received[1]!.at).toBeGreaterThanOrEqual(2300);
    const delivery = await waitFor(
      async () => (await call(runtime, 'GET', `/v1/webhooks/${hook.id}/deliveries`)).body.data[0],
      (d) => d?.status === 'succeeded',
      { message: 'the delivery to be recorded as succeeded' },
    );
    expect(delivery).toMatchObject({ id: ids[0], attempts: 3, last_status_code: 200, last_error: null, next_attempt_at: null });
  });

  it('disable an endpoint that answers 410, and tell the topic and the other endpoints', async () => {
    const [gone, watcher] = [await receiver(() => ({ status: 410 })), await receiver()];
    const hook = await register(gone.url, ['sent']);
    const watch = await register(watcher.url, ['webhook.disabled']);
    await send('ok@remote.test');
    await watcher.waitFor(1);
    const [notice] = verified(watcher, watch.secret);
    expect(notice).toMatchObject({
      type: 'webhook.disabled',
      tenant: 'dev',
      detail: { webhook_id: hook.id, url: gone.url, reason: 'gone', explanation: 'The endpoint answered 410 Gone.' },
    });
    expect(runtime.notifier.notices()).toContainEqual(notice);
    expect((await call(runtime, 'GET', `/v1/webhooks/${hook.id}`)).body).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    // No retry, and nothing more once disabled.
    await send('ok@remote.test');
    await settled(runtime);
    expect(gone.received).toHaveLength(1);
  });

  it('sign with the old and the new secret after a rotation, each signature valid', async () => {
    const hook = await receiver();
    const made = await register(hook.url, ['sent']);
    const rotated = await call(runtime, 'POST', `/v1/webhooks/${made.id}/rotate-secret`);
    await send('ok@remote.test');
    await hook.waitFor(1);
    const { headers, body } = hook.received[0]!;
    const signatures = headers['webhook-signature']!.split(' ');
    expect(signatures).toHaveLength(2);
    for (const [secret, signature] of [
      [rotated.body.secret, signatures[0]!],
      [made.secret, signatures[1]!],
    ]) {
      expect(new Webhook(secret).verify(body, { ...headers, 'webhook-signature': signature })).toMatchObject({ type: 'sent' });
    }
  });

  it('refuse a URL whose host is a private address', async () => {
    for (const url of [
      'https://10.0.0.5/hooks',
      'https://192.168.1.10/hooks',
      'http://172.16.0.1:8080/hooks',
      'https://169.254.169.254/',
    ]) {
      const answer = await call(runtime, 'POST', '/v1/webhooks', { url });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_webhook_url');
    }
    expect((await call(runtime, 'GET', '/v1/webhooks')).body.data).toEqual([]);
  });

  it('deliver to one tenant at once while another tenant’s endpoint takes 9 s per request', async () => {
    expect((await call(runtime, 'POST', '/v1/tenants', { id: 'slowco', name: 'Slow Co' })).status).toBe(201);
    const key = await call(runtime, 'POST', '/v1/tenants/slowco/keys', { scopes: ['admin'] });
    const slowco = { authorization: `Bearer ${key.body.key}` };
    const slow = await receiver(() => ({ status: 200, delayMs: 9000 }));
    const fast = await receiver();
    await register(slow.url, undefined, slowco);
    await register(fast.url, ['queued']);

    // The slow tenant's backlog first: 8 messages, 16 events (queued, sent), each held 9 s.
    for (let i = 0; i < 8; i++) await send(`ok${i}@remote.test`, slowco);
    await slow.waitFor(4);
    const started = Date.now();
    const id = await send('ok@remote.test');
    await fast.waitFor(1);
    const latency = fast.received[0]!.at - started;
    expect(JSON.parse(fast.received[0]!.body)).toMatchObject({ type: 'queued', message_id: id });
    // Well before any slow request has been answered.
    expect(latency).toBeLessThan(3000);
    expect(slow.received.length).toBeGreaterThanOrEqual(4);
    await settled(runtime, 60_000);
    expect(slow.received).toHaveLength(16);
  });
});
