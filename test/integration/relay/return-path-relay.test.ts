/** The return path over a real SMTP relay: each recipient's copy has its own VERP envelope sender, the same bytes. */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReturnPathRelay } from '../../../lib/adapters/smtp/return-path-relay.ts';
import { SmtpRelay } from '../../../lib/adapters/smtp/smtp-relay.ts';
import { createReturnPathSigner, returnPathToken } from '../../../lib/domain/return-path.ts';
import { REFUSED, outgoingMail, startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.ts';

const signer = createReturnPathSigner(Buffer.alloc(32, 3));

describe('ReturnPathRelay against smtp-server on loopback', () => {
  let server: TestSmtpServer;
  let relay: ReturnPathRelay;

  beforeAll(async () => {
    server = await startTestSmtpServer();
    relay = new ReturnPathRelay(new SmtpRelay(server.url, { maxConnections: 2 }), { signer });
  });

  afterAll(async () => {
    await relay?.close();
    await server?.close();
  });

  it('sends every recipient its own copy from bounce+<token>@bounces.<From domain>, naming the message and recipient', async () => {
    const before = server.received.length;
    const mail = outgoingMail({ id: ulid(), to: ['ann@remote.test', 'bob@remote.test', REFUSED.unknown.address] });

    const result = await relay.send(mail);

    expect(result.recipients.map((r) => [r.email, r.code])).toEqual([
      ['ann@remote.test', 250],
      ['bob@remote.test', 250],
      [REFUSED.unknown.address, 550],
    ]);
    const arrived = server.received.slice(before).sort((a, b) => a.rcptTo[0]!.localeCompare(b.rcptTo[0]!));
    expect(arrived.map((m) => m.rcptTo)).toEqual([['ann@remote.test'], ['bob@remote.test']]);
    for (const message of arrived) {
      expect(message.mailFrom).toMatch(/^bounce\+[a-z2-7]{48}@bounces\.sender\.test$/);
      expect(message.mailFrom).not.toContain(message.rcptTo[0]!.split('@')[0]);
      expect(signer.verify(returnPathToken(message.mailFrom)!)).toEqual({
        messageId: mail.id,
        recipientTag: signer.recipientTag(message.rcptTo[0]!),
      });
    }
    expect(arrived[0]!.raw.equals(arrived[1]!.raw)).toBe(true);
    expect(arrived[0]!.parsed.from?.value[0]?.address).toBe('sender@sender.test');
  });

  it('uses the configured bounce domain, and leaves mail whose id is no ULID as it was', async () => {
    const fixed = new ReturnPathRelay(new SmtpRelay(server.url), { signer, bounceDomain: 'rp.mailroom.test' });
    try {
      let before = server.received.length;
      await fixed.send(outgoingMail({ id: ulid(), to: ['ann@remote.test'] }));
      expect(server.received.slice(before)[0]?.mailFrom).toMatch(/^bounce\+[a-z2-7]{48}@rp\.mailroom\.test$/);
      before = server.received.length;
      await fixed.send(outgoingMail({ to: ['ann@remote.test', 'bob@remote.test'] }));
      expect(server.received.slice(before).map((m) => [m.mailFrom, m.rcptTo])).toEqual([
        ['sender@sender.test', ['ann@remote.test', 'bob@remote.test']],
      ]);
    } finally {
      await fixed.close();
    }
  });
});
