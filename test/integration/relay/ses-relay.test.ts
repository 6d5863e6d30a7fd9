import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAnswer } from '../../../lib/domain/smtp-reply.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { freePort } from '../../../lib/local/ports.ts';
import { sesMessageId } from '../../../lib/adapters/ses/ses-answers.ts';
import { SesRelay } from '../../../lib/adapters/ses/ses-relay.ts';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator.ts';
import { outgoingMail } from './smtp-test-server.ts';

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

describe('SesRelay against aws-ses-v2-local', () => {
  let emulator: SesEmulator;
  let endpoint: string;

  beforeAll(async () => {
    emulator = await startSesEmulator();
    endpoint = emulator.endpoint;
  });

  afterAll(() => emulator?.stop());

  const stored = (): Promise<StoredEmail[]> => emulator.stored();

  it('sends the raw MIME and answers every recipient with 250 and the SES message id', async () => {
    // No configuration set: the emulator has none (see /work/shared/LOCAL-AWS.md).
    const relay = new SesRelay(new SESv2Client(localClientConfig(endpoint)));
    const mail = outgoingMail({ to: ['to@remote.test', 'hidden@remote.test'], tags: { campaign: 'spring.sale', 'odd name': 'a b/c' } });
    mail.content = { ...mail.content, to: ['To Person <to@remote.test>'], cc: [], bcc: ['hidden@remote.test'], html: '<p>hello</p>' };

    const result = await relay.send(mail);

    expect(result.relay).toBe('ses');
    expect(result.recipients.map((r) => [r.email, r.code])).toEqual([
      ['to@remote.test', 250],
      ['hidden@remote.test', 250],
    ]);
    expect(result.recipients.every((r) => classifyAnswer(r).kind === 'sent')).toBe(true);
    const sesId = sesMessageId(result.recipients[0]!);
    expect(sesId).toBeTruthy();
    const email = (await stored()).find((e) => e.messageId === sesId);
    expect(email?.subject).toBe(mail.content.subject);
    // The emulator reads recipients back from the MIME headers, so the Bcc recipient (in
    // Destination only) is not listed: that is the point of keeping Bcc out of the MIME.
    expect(email?.destination.to).toHaveLength(1);
    expect(email?.destination.to[0]).toContain('<to@remote.test>');
    expect(email?.destination.bcc).toEqual([]);
    expect(JSON.stringify(email)).not.toContain('hidden@remote.test');
    expect(email?.from).toContain('<sender@sender.test>');
    expect(email?.body.text?.trim()).toBe('hello');
  });

  it('defers every recipient when SES cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const relay = new SesRelay(new SESv2Client({ ...localClientConfig(closed), maxAttempts: 1 }), { configurationSetName: 'mailroom' });

    const { recipients } = await relay.send(outgoingMail({ to: ['a@remote.test', 'b@remote.test'] }));

    expect(recipients.map((r) => r.email)).toEqual(['a@remote.test', 'b@remote.test']);
    for (const answer of recipients) {
      expect(answer.code).toBeUndefined();
      expect(answer.response).toMatch(/ECONNREFUSED/);
      expect(classifyAnswer(answer)).toEqual({ kind: 'deferred' });
    }
  });
});
