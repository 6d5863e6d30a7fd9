/**
 * The whole path of a message through the local runtime: HTTP API → SQS emulator →
 * delivery handler → SMTP relay on loopback, with state in DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';

let remote: RemoteSmtp;
let runtime: LocalRuntime;

beforeAll(async () => {
  remote = await startRemoteSmtp((address, tries) => {
    if (address.startsWith('greylisted') && tries <= 2) return { code: 451, text: '4.7.1 greylisted, try again later' };
    if (address.startsWith('nobody')) return { code: 550, text: '5.1.1 <nobody@remote.test>: no such mailbox' };
    return undefined;
  });
  runtime = await startPipeline({ relay: remote.url });
});
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
});

const base = { from: 'Acme Billing <billing@acme.test>', subject: 'Your invoice', text: 'Thanks for your order.' };

describe('send pipeline', () => {
  it('delivers a message exactly once, with its headers, Bcc only in the envelope', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', {
      ...base,
      to: 'Ann <ann@remote.test>',
      cc: ['carl@remote.test'],
      bcc: 'audit@remote.test',
      reply_to: 'help@acme.test',
      html: '<p>Thanks</p>',
      headers: { 'X-Order': '1234' },
      tags: { kind: 'invoice' },
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ id: expect.any(String), status: 'queued', rejected: [] });

    const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
    const [mail, ...others] = await remote.waitFor(1);
    expect(others).toHaveLength(0);
    expect(mail!.rcptTo.sort()).toEqual(['ann@remote.test', 'audit@remote.test', 'carl@remote.test']);
    expect(mail!.mailFrom).toBe('billing@acme.test');
    const headers = mail!.parsed.headers;
    expect(mail!.parsed.messageId).toBe(message.message_id_header);
    expect(headers.get('x-order')).toBe('1234');
    expect(headers.get('x-mailroom-id')).toBe(sent.body.id);
    expect(headers.has('bcc')).toBe(false);
    expect(mail!.parsed.date?.toISOString()).toBe(new Date(message.created_at).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    expect(mail!.parsed.subject).toBe('Your invoice');
    expect(mail!.parsed.text?.trim()).toBe('Thanks for your order.');
    expect(message.recipients.map((r: { status: string }) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(message.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'queued', 'queued', 'sent', 'sent', 'sent']);

    // Once the runtime has nothing left to do, no retried job can bring a duplicate, and the
    // events stream has published every event.
    await settled(runtime);
    // Subscribers get every event; local mode shows what they would receive.
    const notifications = (await (await fetch(`${runtime.apiUrl}/notifications`)).json()) as {
      type: string;
      message_id: string;
      tenant: string;
    }[];
    const mine = notifications.filter((n) => n.message_id === sent.body.id);
    expect(mine.map((n) => n.type).sort()).toEqual(['queued', 'queued', 'queued', 'sent', 'sent', 'sent']);
    expect(mine.every((n) => n.tenant === 'dev')).toBe(true);

    // Nothing else arrived (no duplicate from a retried job).
    expect(remote.delivered).toHaveLength(1);
  });

  it('retries a recipient answered 451 with backoff and delivers it on the third try', async () => {
    const before = remote.delivered.length;
    const sent = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'greylisted@remote.test' });
    expect(sent.status).toBe(202);
    const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent', 30_000);
    expect(remote.tries.get('greylisted@remote.test')).toBe(3);
    expect(message.attempts).toBe(3);
    expect(message.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'deferred', 'deferred', 'sent']);
    const deferred = message.events.filter((e: { type: string }) => e.type === 'deferred');
    expect(deferred[0].detail.answer).toMatchObject({ code: 451, enhanced: '4.7.1' });
    expect(deferred[0].detail).toMatchObject({ category: 'rate_limited', diagnostic: deferred[0].detail.answer.response });
    expect(deferred[0].detail.explanation).toMatch(/greylisting/);
    expect(Date.parse(deferred[0].detail.retry_at)).toBeGreaterThan(Date.parse(deferred[0].at));
    // Backoff doubles: the second deferral comes at least ~1 s after the first, the delivery ~2 s after that.
    const times = message.events.slice(1).map((e: { at: string }) => Date.parse(e.at));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1900);
    expect(remote.delivered.length - before).toBe(1);
  });

  it('bounces a 550 recipient, suppresses it, and refuses the next send to it', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'nobody@remote.test' });
    const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'bounced');
    const bounce = message.events.find((e: { type: string }) => e.type === 'bounced');
    expect(bounce.detail).toMatchObject({ bounce_type: 'hard', answer: { code: 550, enhanced: '5.1.1' }, category: 'no_such_mailbox' });
    expect(bounce.detail.explanation).toMatch(/does not exist/);
    expect(bounce.detail.diagnostic).toBe(bounce.detail.answer.response);

    const suppression = await call(runtime, 'GET', '/v1/suppressions/nobody@REMOTE.test');
    expect(suppression.status).toBe(200);
    expect(suppression.body).toMatchObject({ email: 'nobody@remote.test', reason: 'hard_bounce', source_message_id: sent.body.id });

    const again = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'nobody@remote.test' });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('all_recipients_suppressed');

    const mixed = await call(runtime, 'POST', '/v1/messages', { ...base, to: ['nobody@remote.test', 'dora@remote.test'] });
    expect(mixed.status).toBe(202);
    expect(mixed.body.rejected).toEqual([{ email: 'nobody@remote.test', reason: 'suppressed' }]);
    await waitForMessage(runtime, mixed.body.id, (m) => m.status === 'sent');
    expect(remote.delivered.at(-1)?.rcptTo).toEqual(['dora@remote.test']);
  });
});
