import { SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyAnswer } from '../../../lib/domain/smtp-reply.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import type { OutgoingMail } from '../../../lib/ports/mail-relay.ts';
import { sesEmailTags, sesTagText } from '../../../lib/adapters/ses/ses-tags.ts';
import { SesRelay } from '../../../lib/adapters/ses/ses-relay.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint, type ScriptedResponse } from './fake-aws-endpoint.ts';

const mail: OutgoingMail = {
  id: '01SES0001',
  tenant: 'acme.eu',
  messageIdHeader: '<01SES0001@mailroom.test>',
  date: new Date('2026-03-04T05:06:07Z'),
  envelope: { from: 'bounces@sender.test', to: ['to@remote.test', 'hidden@remote.test'] },
  content: {
    from: 'Sender <news@sender.test>',
    to: ['to@remote.test'],
    cc: [],
    bcc: ['hidden@remote.test'],
    replyTo: [],
    subject: 'hello',
    text: 'hi',
    headers: {},
  },
  tags: { 'campaign.id': 'spring sale/2026', mailroom_id: 'forged' },
};

describe('SES message tags', () => {
  it('keep only letters, digits, _ and -, at most 256 characters', () => {
    expect(sesTagText('spring sale/2026.ü')).toBe('spring_sale_2026__');
    expect(sesTagText('x'.repeat(300))).toHaveLength(256);
  });

  it('add mailroom_id and mailroom_tenant, which a caller tag cannot replace', () => {
    expect(sesEmailTags(mail.tags, mail.id, mail.tenant)).toEqual([
      { Name: 'campaign_id', Value: 'spring_sale_2026' },
      { Name: 'mailroom_id', Value: '01SES0001' },
      { Name: 'mailroom_tenant', Value: 'acme_eu' },
    ]);
    expect(sesEmailTags({ empty: '' }, 'id', 't')[0]).toEqual({ Name: 'empty', Value: '_' });
  });
});

// SendEmail requests and SES error answers: the emulator cannot produce SES's refusals or
// throttling, so a loopback endpoint answers like SES (REST-JSON, x-amzn-ErrorType) and the
// real SESv2Client parses the answers into its real exception classes.
describe('SesRelay with scripted SES answers', () => {
  let fake: FakeAwsEndpoint | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function relayAnswering(response: ScriptedResponse, configurationSetName?: string) {
    fake = await startFakeAwsEndpoint(() => response);
    const client = new SESv2Client({ ...localClientConfig(fake.endpoint), maxAttempts: 1 });
    return { fake, relay: new SesRelay(client, configurationSetName ? { configurationSetName } : {}) };
  }

  const sesError = (status: number, type: string, message: string): ScriptedResponse => ({
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ message }),
  });

  it('sends raw MIME to the envelope recipients with tags and the configuration set', async () => {
    const { fake, relay } = await relayAnswering(
      { headers: { 'content-type': 'application/json' }, body: '{"MessageId":"0100-abc"}' },
      'mailroom-events',
    );

    const result = await relay.send(mail);

    expect(result).toEqual({
      relay: 'ses',
      recipients: [
        { email: 'to@remote.test', code: 250, response: 'SES message id 0100-abc' },
        { email: 'hidden@remote.test', code: 250, response: 'SES message id 0100-abc' },
      ],
    });
    const request = fake.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v2/email/outbound-emails');
    const body = JSON.parse(request.body);
    expect(body.FromEmailAddress).toBe('bounces@sender.test');
    expect(body.Destination).toEqual({ ToAddresses: ['to@remote.test', 'hidden@remote.test'] });
    expect(body.ConfigurationSetName).toBe('mailroom-events');
    expect(body.EmailTags).toEqual(sesEmailTags(mail.tags, mail.id, mail.tenant));
    // mailroom tracks opens and clicks itself, when asked: SES must not rewrite links or add a
    // pixel, whatever the configuration set or the account says.
    expect(body.ConfigurationOverrides).toEqual({ Tracking: { OpenTrackingEnabled: 'DISABLED', ClickTrackingEnabled: 'DISABLED' } });
    const parsed = await simpleParser(Buffer.from(body.Content.Raw.Data, 'base64'));
    expect(parsed.messageId).toBe('<01SES0001@mailroom.test>');
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it.each([
    ['MessageRejected', 400, 'Email address is not verified.'],
    ['MailFromDomainNotVerifiedException', 400, 'MAIL FROM domain not verified'],
    ['AccountSuspendedException', 400, 'account suspended'],
    ['SendingPausedException', 400, 'sending paused'],
    ['BadRequestException', 400, 'Illegal header'],
  ])('answers %s with 554 5.7.1 for every recipient, a bounce that suppresses no one', async (type, status, message) => {
    const { relay } = await relayAnswering(sesError(status, type, message));

    const { recipients } = await relay.send(mail);

    expect(recipients).toHaveLength(2);
    for (const answer of recipients) {
      expect(answer).toMatchObject({ code: 554, enhanced: '5.7.1' });
      expect(answer.response).toContain(`${type}: ${message}`);
      expect(classifyAnswer(answer)).toEqual({ kind: 'bounced', bounceType: 'hard', suppress: false });
    }
  });

  it.each([
    ['TooManyRequestsException', 429],
    ['LimitExceededException', 400],
    ['InternalServiceErrorException', 500],
    ['NotFoundException', 404],
  ])('defers every recipient on %s', async (type, status) => {
    const { relay } = await relayAnswering(sesError(status, type, 'try later'));

    const { recipients } = await relay.send(mail);

    expect(recipients.map((r) => r.code)).toEqual([undefined, undefined]);
    expect(recipients[0]?.response).toBe(`SES ${type}: try later`);
    expect(recipients.every((r) => classifyAnswer(r).kind === 'deferred')).toBe(true);
  });
});
