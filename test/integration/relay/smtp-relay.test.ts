import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAnswer } from '../../../lib/domain/smtp-reply.ts';
import { freePort } from '../../../lib/local/ports.ts';
import { SmtpRelay } from '../../../lib/adapters/smtp/smtp-relay.ts';
import { DATA_REFUSED_SENDER, REFUSED, outgoingMail, startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.ts';

const CREDENTIALS = { user: 'relay-user', pass: 'p@ss:w/rd%' };

describe('SmtpRelay against smtp-server on loopback', () => {
  let server: TestSmtpServer;
  let relay: SmtpRelay;

  beforeAll(async () => {
    server = await startTestSmtpServer(CREDENTIALS);
    relay = new SmtpRelay(server.url, { maxConnections: 2 });
  });

  afterAll(async () => {
    await relay?.close();
    await server?.close();
  });

  it('delivers once to every recipient, Bcc by envelope only, with the mailroom headers', async () => {
    const before = server.received.length;
    const mail = outgoingMail({ to: ['to@remote.test', 'bcc@remote.test'] });
    mail.content = { ...mail.content, to: ['To <to@remote.test>'], bcc: ['bcc@remote.test'], headers: { 'X-Campaign': 'spring-sale' } };

    const result = await relay.send(mail);

    expect(result.relay).toBe('smtp');
    expect(result.recipients.map((r) => [r.email, r.code])).toEqual([
      ['to@remote.test', 250],
      ['bcc@remote.test', 250],
    ]);
    expect(result.recipients.every((r) => classifyAnswer(r).kind === 'sent')).toBe(true);
    const arrived = server.received.slice(before);
    expect(arrived).toHaveLength(1);
    const [message] = arrived;
    expect(message?.rcptTo).toEqual(['to@remote.test', 'bcc@remote.test']);
    expect(message?.mailFrom).toBe('sender@sender.test');
    expect(message?.parsed.messageId).toBe(mail.messageIdHeader);
    expect(message?.parsed.date?.toISOString()).toBe(mail.date.toISOString());
    expect(message?.parsed.headers.get('x-mailroom-id')).toBe(mail.id);
    expect(message?.parsed.headers.get('x-campaign')).toBe('spring-sale');
    expect(message?.parsed.headers.has('bcc')).toBe(false);
    expect(message?.raw.toString('latin1')).not.toMatch(/bcc@remote\.test/);
  });

  it('answers each recipient of a mixed result with its own reply', async () => {
    const mail = outgoingMail({ to: ['ok@remote.test', REFUSED.unknown.address, REFUSED.greylisted.address] });

    const { recipients } = await relay.send(mail);

    expect(recipients).toEqual([
      expect.objectContaining({ email: 'ok@remote.test', code: 250 }),
      { email: REFUSED.unknown.address, code: 550, enhanced: '5.1.1', response: `550 ${REFUSED.unknown.text}` },
      { email: REFUSED.greylisted.address, code: 451, enhanced: '4.7.1', response: `451 ${REFUSED.greylisted.text}` },
    ]);
    expect(recipients.map((r) => classifyAnswer(r).kind)).toEqual(['sent', 'bounced', 'deferred']);
  });

  it('classifies every recipient when all are refused (EENVELOPE), not by the first refusal', async () => {
    const before = server.received.length;
    const mail = outgoingMail({ to: [REFUSED.unknown.address, REFUSED.greylisted.address] });

    const { recipients } = await relay.send(mail);

    expect(recipients.map((r) => [r.email, r.code, r.enhanced])).toEqual([
      [REFUSED.unknown.address, 550, '5.1.1'],
      [REFUSED.greylisted.address, 451, '4.7.1'],
    ]);
    expect(recipients.map((r) => classifyAnswer(r))).toEqual([
      { kind: 'bounced', bounceType: 'hard', suppress: true },
      { kind: 'deferred' },
    ]);
    expect(server.received.length).toBe(before);
  });

  it('gives every recipient the reply that refused DATA (EMESSAGE)', async () => {
    const mail = outgoingMail({ to: ['a@remote.test', 'b@remote.test'] });
    mail.envelope = { ...mail.envelope, from: DATA_REFUSED_SENDER };

    const { recipients } = await relay.send(mail);

    expect(recipients).toEqual([
      { email: 'a@remote.test', code: 554, enhanced: '5.6.0', response: '554 5.6.0 content rejected' },
      { email: 'b@remote.test', code: 554, enhanced: '5.6.0', response: '554 5.6.0 content rejected' },
    ]);
    // Content, not mailbox: a bounce that suppresses nobody.
    expect(classifyAnswer(recipients[0]!)).toEqual({ kind: 'bounced', bounceType: 'hard', suppress: false });
  });

  it('reuses pooled connections across many sends and stays usable after refusals', async () => {
    const sessionsBefore = server.sessions;
    const before = server.received.length;

    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => relay.send(outgoingMail({ to: [`bulk${i}@remote.test`] }))));

    expect(results.flatMap((r) => r.recipients.map((a) => a.code))).toEqual(Array(12).fill(250));
    expect(server.received.length - before).toBe(12);
    // maxConnections is 2: refusals in earlier tests (RSET, not reconnect) kept the pool's
    // connections, so these 12 messages travel over at most the 2 that exist.
    expect(server.sessions - sessionsBefore).toBeLessThanOrEqual(2);
    expect(server.sessions).toBeLessThanOrEqual(2);
  });

  it('defers every recipient when the password is wrong, without echoing the password', async () => {
    const wrong = new SmtpRelay(`smtp://relay-user:${encodeURIComponent('not-the-password')}@127.0.0.1:${server.port}`);
    try {
      const { recipients } = await wrong.send(outgoingMail({ to: ['a@remote.test', 'b@remote.test'] }));
      expect(recipients.map((r) => r.code)).toEqual([undefined, undefined]);
      expect(recipients[0]?.response).toMatch(/EAUTH/);
      expect(recipients[0]?.response).not.toContain('not-the-password');
      expect(recipients.every((r) => classifyAnswer(r).kind === 'deferred')).toBe(true);
    } finally {
      await wrong.close();
    }
  });
});

describe('SmtpRelay without a server', () => {
  it('answers every recipient without a code when the connection is refused', async () => {
    const port = await freePort();
    const relay = new SmtpRelay(`smtp://user:secret-pw@127.0.0.1:${port}`, { transport: { connectionTimeout: 2_000 } });
    try {
      const { relay: name, recipients } = await relay.send(outgoingMail({ to: ['a@remote.test', 'b@remote.test'] }));
      expect(name).toBe('smtp');
      expect(recipients).toHaveLength(2);
      for (const answer of recipients) {
        expect(answer.code).toBeUndefined();
        expect(answer.response).toMatch(/ECONNREFUSED/);
        expect(classifyAnswer(answer)).toEqual({ kind: 'deferred' });
      }
      expect(relay.target).not.toContain('secret-pw');
    } finally {
      await relay.close();
    }
  });
});
