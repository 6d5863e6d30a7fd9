/**
 * Inbound routes through local mode: a tenant routes an address to one of its webhook endpoints;
 * mail submitted to the inbound listener arrives there as a signed `inbound.received` event,
 * parsed, with its attachment behind a download link and SPF, DKIM and DMARC checked by mailauth
 * (against a DNS server on loopback).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { startTestDnsServer, type TestDnsServer } from '../domains/dns-server.ts';
import { call, startPipeline } from '../../support/pipeline.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.ts';

let runtime: LocalRuntime;
let dns: TestDnsServer;
let hook: WebhookReceiver;
let inbound: Transporter;
let endpoint: { id: string; secret: string };

beforeAll(async () => {
  dns = await startTestDnsServer();
  dns.zone.set('sender.example', { txt: [['v=spf1 ip4:127.0.0.1 -all']] });
  dns.zone.set('_dmarc.sender.example', { txt: [['v=DMARC1; p=reject']] });
  runtime = await startPipeline({ inbound: { port: 0 }, env: { MAILROOM_DNS_SERVERS: dns.address } });
  inbound = nodemailer.createTransport({ host: '127.0.0.1', port: runtime.inbound!.port, secure: false, ignoreTLS: true });
  hook = await startWebhookReceiver();
  expect((await call(runtime, 'POST', '/v1/domains', { name: 'acme.example' })).status).toBe(201);
  const registered = await call(runtime, 'POST', '/v1/webhooks', { url: hook.url });
  expect(registered.status).toBe(201);
  endpoint = registered.body;
});
afterAll(async () => {
  inbound?.close();
  await runtime?.stop();
  await hook?.close();
  await dns?.close();
});

const mail = (to: string) => ({
  envelope: { from: 'ann@sender.example', to: [to] },
  from: 'Ann Lee <ann@sender.example>',
  to,
  subject: 'Where is my order?',
  text: 'Order 1234 has not arrived.',
  html: '<p>Order <b>1234</b> has not arrived.</p>',
  attachments: [{ filename: 'receipt.txt', content: 'total: 42.00 EUR', contentType: 'text/plain' }],
});

describe('inbound routes', () => {
  it('are checked: a registered domain, an endpoint of the tenant, a match routed once', async () => {
    const bad = await call(runtime, 'POST', '/v1/inbound-routes', { match: 'not an address', webhook_id: endpoint.id });
    expect(bad.status).toBe(400);
    const foreign = await call(runtime, 'POST', '/v1/inbound-routes', { match: 'in.other.example', webhook_id: endpoint.id });
    expect(foreign).toMatchObject({ status: 422, body: { error: { code: 'domain_not_registered' } } });
    const noHook = await call(runtime, 'POST', '/v1/inbound-routes', {
      match: 'in.acme.example',
      webhook_id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
    });
    expect(noHook.status).toBe(404);
  });

  it('deliver a parsed inbound.received event, signed, with the attachment behind a link and the verdicts', async () => {
    const created = await call(runtime, 'POST', '/v1/inbound-routes', { match: 'Support@In.Acme.Example', webhook_id: endpoint.id });
    expect(created).toMatchObject({ status: 201, body: { match: 'support@in.acme.example', webhook_id: endpoint.id } });
    expect((await call(runtime, 'POST', '/v1/inbound-routes', { match: 'support@in.acme.example', webhook_id: endpoint.id })).status).toBe(
      409,
    );
    expect((await call(runtime, 'GET', '/v1/inbound-routes')).body.data).toEqual([created.body]);

    await inbound.sendMail(mail('support@in.acme.example'));
    const [request] = await hook.waitFor(1, 20_000);
    const document = new Webhook(endpoint.secret).verify(request!.body, request!.headers) as { type: string; detail: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(document).toMatchObject({ type: 'inbound.received', tenant: 'dev' });
    expect(document.detail).toMatchObject({
      route_id: created.body.id,
      envelope: { from: 'ann@sender.example', to: ['support@in.acme.example'] },
      from: 'ann@sender.example',
      from_name: 'Ann Lee',
      to: ['support@in.acme.example'],
      subject: 'Where is my order?',
      text: 'Order 1234 has not arrived.',
      html: '<p>Order <b>1234</b> has not arrived.</p>',
      spf: 'pass',
      dkim: 'none',
      dmarc: 'pass',
    });
    expect(document.detail.headers).toEqual(expect.arrayContaining([{ name: 'subject', value: 'Where is my order?' }]));
    expect(document.detail.attachments).toEqual([
      { filename: 'receipt.txt', content_type: 'text/plain', size: 16, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) },
    ]);
    const download = await fetch(document.detail.attachments[0].url);
    expect(await download.text()).toBe('total: 42.00 EUR');
  });

  it('refuse other addresses of the domain, and the address once its route is deleted', async () => {
    await expect(inbound.sendMail(mail('sales@in.acme.example'))).rejects.toMatchObject({ responseCode: 550 });
    const [route] = (await call(runtime, 'GET', '/v1/inbound-routes')).body.data;
    expect((await call(runtime, 'DELETE', `/v1/inbound-routes/${route.id}`)).status).toBe(204);
    expect((await call(runtime, 'DELETE', `/v1/inbound-routes/${route.id}`)).status).toBe(404);
    await expect(inbound.sendMail(mail('support@in.acme.example'))).rejects.toMatchObject({ responseCode: 550 });
  });
});
