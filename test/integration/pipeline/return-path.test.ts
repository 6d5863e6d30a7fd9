/**
 * Mail that comes back, through local mode: the relay sees a VERP envelope sender; real DSNs,
 * ARF reports and automatic replies submitted to the inbound SMTP listener mark the right
 * recipient bounced, deferred or complained (once, however often they arrive), suppress as
 * SES's reports do, or change nothing.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { INBOUND_FIXTURES, inboundFixture } from '../../fixtures/inbound/sources.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';

let runtime: LocalRuntime;
let inbound: Transporter;

beforeAll(async () => {
  runtime = await startPipeline({ inbound: { port: 0 } });
  inbound = nodemailer.createTransport({ host: '127.0.0.1', port: runtime.inbound!.port, secure: false, ignoreTLS: true });
  expect((await call(runtime, 'POST', '/v1/domains', { name: 'shop.example' })).status).toBe(201);
});
afterAll(async () => {
  inbound?.close();
  await runtime?.stop();
});

let sent = 0;
/** Sends one message to `to` and answers its id and the envelope sender the relay saw. */
async function sendTo(to: string): Promise<{ id: string; returnPath: string }> {
  const accepted = await call(runtime, 'POST', '/v1/messages', { from: 'News <news@shop.example>', to, subject: 'Hello', text: 'Hi.' });
  expect(accepted.status).toBe(202);
  await waitForMessage(runtime, accepted.body.id, (m) => m.status === 'sent');
  sent += 1;
  const captured = (await runtime.capture!.waitFor(sent)).find((m) => m.envelopeTo.includes(to));
  return { id: accepted.body.id, returnPath: captured!.envelopeFrom };
}

/** Submits `raw` to the inbound listener from the null sender, as a bounce comes. */
async function submit(raw: Buffer, to: string) {
  return inbound.sendMail({ envelope: { from: '', to: [to] }, raw });
}

const fixture = (file: string) => INBOUND_FIXTURES.find((f) => f.file === file)!;

describe('the return path in local mode', () => {
  it('gives mail relayed through SMTP a VERP envelope sender at the bounce domain that names no recipient', async () => {
    const { returnPath } = await sendTo('reader@remote.example');
    expect(returnPath).toMatch(/^bounce\+[a-z2-7]{48}@bounces\.shop\.example$/);
    expect(returnPath).not.toContain('reader');
    const domain = await call(runtime, 'GET', '/v1/domains/shop.example');
    expect(domain.body.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purpose: 'return_path', type: 'MX', name: 'bounces.shop.example', value: 'localhost' }),
        expect.objectContaining({ purpose: 'return_path', type: 'TXT', name: 'bounces.shop.example' }),
      ]),
    );
  });

  for (const file of ['postfix-user-unknown.eml', 'microsoft-recipient-not-found.eml', 'exim-user-unknown.eml', 'gmail-user-unknown.eml']) {
    it(`marks the recipient bounced from a real ${fixture(file).from} bounce, suppresses the hard bounce, and counts it once`, async () => {
      const to = `gone-${file.split('-')[0]}@remote.example`;
      const { id, returnPath } = await sendTo(to);
      const raw = inboundFixture(file);
      await submit(raw, returnPath);
      const message = await waitForMessage(runtime, id, (m) => m.status === 'bounced');
      expect(message.events.at(-1)).toMatchObject({
        type: 'bounced',
        detail: { bounce_type: 'hard', category: 'no_such_mailbox', explanation: expect.any(String) },
      });
      await submit(raw, returnPath);
      await settled(runtime);
      const again = await call(runtime, 'GET', `/v1/messages/${id}`);
      expect(again.body.events.filter((e: { type: string }) => e.type === 'bounced')).toHaveLength(1);
      expect((await call(runtime, 'GET', `/v1/suppressions/${to}`)).body).toMatchObject({ reason: 'hard_bounce' });
    });
  }

  it('records a full mailbox as a soft bounce that does not suppress', async () => {
    const { id, returnPath } = await sendTo('full@remote.example');
    await submit(inboundFixture('microsoft-mailbox-full.eml'), returnPath);
    const message = await waitForMessage(runtime, id, (m) => m.status === 'bounced');
    expect(message.events.at(-1).detail).toMatchObject({ bounce_type: 'soft', category: 'mailbox_full' });
    expect((await call(runtime, 'GET', '/v1/suppressions/full@remote.example')).status).toBe(404);
  });

  it('records a delayed DSN as deferred, without a retry or a status change', async () => {
    const { id, returnPath } = await sendTo('slow@remote.example');
    await submit(inboundFixture('sendmail-delayed.eml'), returnPath);
    await settled(runtime);
    const message = await call(runtime, 'GET', `/v1/messages/${id}`);
    expect(message.body.status).toBe('sent');
    expect(message.body.events.at(-1)).toMatchObject({ type: 'deferred', detail: { reason: expect.stringMatching(/^delayed/) } });
    expect(message.body.events.at(-1).detail.retry_at).toBeUndefined();
  });

  it('marks the recipient complained from a Yahoo feedback-loop report, and suppresses it', async () => {
    const { id, returnPath } = await sendTo('angry@remote.example');
    await submit(inboundFixture('yahoo-feedback-loop.eml'), returnPath);
    await waitForMessage(runtime, id, (m) => m.status === 'complained');
    expect((await call(runtime, 'GET', '/v1/suppressions/angry@remote.example')).body).toMatchObject({ reason: 'complaint' });
  });

  it('changes nothing for out-of-office replies or a forged token', async () => {
    const { id, returnPath } = await sendTo('away@remote.example');
    for (const file of ['exim-vacation.eml', 'exchange-automatic-reply.eml', 'apple-vacation.eml'])
      await submit(inboundFixture(file), returnPath);
    const token = returnPath.slice('bounce+'.length, returnPath.indexOf('@'));
    const forged = `bounce+${token.slice(0, 20)}${token[20] === 'a' ? 'b' : 'a'}${token.slice(21)}@bounces.shop.example`;
    await submit(inboundFixture('postfix-user-unknown.eml'), forged);
    await settled(runtime);
    const message = await call(runtime, 'GET', `/v1/messages/${id}`);
    expect(message.body.status).toBe('sent');
    expect(message.body.events.map((e: { type: string }) => e.type)).not.toContain('bounced');
    expect((await call(runtime, 'GET', '/v1/suppressions/away@remote.example')).status).toBe(404);
  });

  it('refuses recipients outside the bounce domains of registered domains with 550', async () => {
    const refused = submit(inboundFixture('postfix-user-unknown.eml'), 'someone@bounces.unknown.example');
    await expect(refused).rejects.toMatchObject({ responseCode: 550 });
    await expect(submit(inboundFixture('postfix-user-unknown.eml'), 'postmaster@shop.example')).rejects.toMatchObject({
      responseCode: 550,
    });
  });
});
