import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSesNotificationError } from '../../../lib/domain/errors.ts';
import { sesAnswer, sesEventDrafts } from '../../../lib/domain/ses-events.ts';
import { parseSesNotification, sesTag } from '../../../lib/domain/ses-notification.ts';
import { SES_BOUNCE_TYPES, SES_FIXTURES, aboutMessage, bounceRecord, sesFixture } from '../../support/ses-events.ts';

const SES_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';
const drafts = (record: unknown) => sesEventDrafts(parseSesNotification(record));

describe('parseSesNotification', () => {
  it.each(SES_FIXTURES)("reads AWS's %s example as it is", (name) => {
    const parsed = parseSesNotification(sesFixture(name));
    expect(parsed.mail.messageId).toMatch(/^EXAMPLE/);
    // Fields mailroom does not read pass through untouched.
    expect(parsed.mail).toHaveProperty('sendingAccountId', '123456789012');
  });

  it('names the "Rendering Failure" type without its space, and accepts notificationType', () => {
    expect(parseSesNotification(sesFixture('rendering-failure')).eventType).toBe('RenderingFailure');
    const { eventType, ...rest } = sesFixture('delivery');
    expect(parseSesNotification({ ...rest, notificationType: eventType }).eventType).toBe('Delivery');
  });

  it('reads tags as SES gives them, arrays of strings', () => {
    const parsed = parseSesNotification(sesFixture('delivery'));
    expect(sesTag(parsed.mail, 'myCustomTag1')).toBe('myCustomTagValue1');
    expect(sesTag(parsed.mail, 'mailroom_id')).toBeUndefined();
  });

  it.each([
    ['not an object', 'x', /not a JSON object/],
    ['an unknown type', { ...sesFixture('send'), eventType: 'Teleport' }, /unknown SES event type "Teleport"/],
    ['no type', { mail: sesFixture('send').mail }, /unknown SES event type/],
    ['no mail', { eventType: 'Send' }, /SES Send record: mail/],
    [
      'a bounce without recipients list',
      { ...sesFixture('bounce'), bounce: { ...sesFixture('bounce').bounce, bouncedRecipients: undefined } },
      /bounce\.bouncedRecipients/,
    ],
    [
      'a bad time',
      { ...sesFixture('delivery'), delivery: { ...sesFixture('delivery').delivery, timestamp: 'yesterday' } },
      /delivery\.timestamp must be an ISO-8601 time/,
    ],
  ])('refuses %s with InvalidSesNotificationError naming the problem', (_, input, message) => {
    expect(() => parseSesNotification(input)).toThrow(InvalidSesNotificationError);
    expect(() => parseSesNotification(input)).toThrow(message);
  });

  it('throws nothing but InvalidSesNotificationError, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseSesNotification(value);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidSesNotificationError);
        }
      }),
    );
  });
});

describe('sesEventDrafts', () => {
  it('makes a delivery per delivered recipient, with the receiving server’s answer', () => {
    expect(drafts(sesFixture('delivery'))).toEqual([
      {
        type: 'delivered',
        email: 'recipient@example.com',
        at: '2016-10-19T23:21:04.133Z',
        key: 'ses-20161019T232104133Z',
        detail: { relay: 'ses', sesMessageId: SES_ID, answer: { code: 250, enhanced: '2.6.0', response: '250 2.6.0 Message received' } },
      },
    ]);
  });

  it('makes a bounce per bounced recipient, classified, keyed by the feedback id', () => {
    const [bounce] = drafts(sesFixture('bounce'));
    expect(bounce).toMatchObject({
      type: 'bounced',
      email: 'recipient@example.com',
      at: '2017-08-05T00:41:02.669Z',
      key: 'ses-01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      detail: {
        relay: 'ses',
        sesMessageId: SES_ID,
        bounceType: 'hard',
        diagnostic: 'smtp; 550 5.1.1 user unknown',
        answer: { code: 550, enhanced: '5.1.1', response: 'smtp; 550 5.1.1 user unknown' },
        reason: 'Permanent/General',
      },
    });
    expect(bounce?.detail.category).toBeDefined();
    expect(bounce?.detail.explanation).toBeDefined();
  });

  it.each(SES_BOUNCE_TYPES)('bounces $bounceType/$bounceSubType as hard: $hard', (kind) => {
    const [bounce] = drafts(bounceRecord(kind));
    expect(bounce?.type).toBe('bounced');
    expect(bounce?.detail.bounceType).toBe(kind.hard ? 'hard' : 'soft');
    expect(bounce?.detail.reason).toBe(`${kind.bounceType}/${kind.bounceSubType}`);
    if (kind.diagnosticCode) expect(bounce?.detail.diagnostic).toBe(kind.diagnosticCode);
  });

  it('makes a complaint per complained recipient, keeping the feedback type', () => {
    expect(drafts(sesFixture('complaint'))).toEqual([
      expect.objectContaining({
        type: 'complained',
        email: 'recipient@example.com',
        key: 'ses-01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
        detail: { relay: 'ses', sesMessageId: SES_ID, complaintFeedbackType: 'abuse' },
      }),
    ]);
  });

  it('takes a not-spam report back rather than recording a complaint', () => {
    const record = sesFixture('complaint');
    record.complaint.complaintFeedbackType = 'not-spam';
    expect(drafts(record)).toEqual([]);
  });

  it('defers a delayed recipient with the delay type, expiry and diagnostic', () => {
    expect(drafts(sesFixture('delivery-delay'))).toEqual([
      {
        type: 'deferred',
        email: 'recipient@example.com',
        at: '2020-06-16T00:25:40.095Z',
        key: 'ses-20200616T002540095Z',
        detail: {
          relay: 'ses',
          sesMessageId: SES_ID,
          reason: 'TransientCommunicationFailure',
          expirationTime: '2020-06-16T00:25:40.914Z',
          diagnostic: 'smtp; 421 4.4.1 Unable to connect to remote host',
          answer: { code: 421, enhanced: '4.4.1', response: 'smtp; 421 4.4.1 Unable to connect to remote host' },
        },
      },
    ]);
  });

  it('fails every destination of a rejected or unrenderable message', () => {
    expect(drafts(sesFixture('reject'))).toEqual([
      expect.objectContaining({
        type: 'failed',
        email: 'sender@example.com',
        detail: expect.objectContaining({ reason: 'SES rejected the message: Bad content' }),
      }),
    ]);
    expect(drafts(sesFixture('rendering-failure'))).toEqual([
      expect.objectContaining({
        type: 'failed',
        email: 'recipient@example.com',
        detail: expect.objectContaining({ reason: expect.stringMatching(/attributeName/) }),
      }),
    ]);
  });

  it('records nothing for SES opens and clicks: mailroom tracks them itself, once', () => {
    expect(drafts(sesFixture('open'))).toEqual([]);
    expect(drafts(sesFixture('click'))).toEqual([]);
  });

  it('records opt-outs only', () => {
    expect(drafts(sesFixture('subscription'))).toEqual([
      expect.objectContaining({
        type: 'unsubscribed',
        email: 'recipient@example.com',
        detail: expect.objectContaining({ reason: 'unsubscribed from all topics (contact list ContactListName)' }),
      }),
    ]);
    const optIn = sesFixture('subscription');
    optIn.subscription.newTopicPreferences = {
      unsubscribeAll: false,
      topicSubscriptionStatus: [{ topicName: 'ExampleTopicName', subscriptionStatus: 'OptIn' }],
    };
    expect(drafts(optIn)).toEqual([]);
    const topic = sesFixture('subscription');
    topic.subscription.newTopicPreferences = {
      unsubscribeAll: false,
      topicSubscriptionStatus: [{ topicName: 'News', subscriptionStatus: 'OptOut' }],
    };
    expect(drafts(topic)[0]?.detail.reason).toBe('unsubscribed from News (contact list ContactListName)');
  });

  it('records nothing for Send: mailroom already recorded the relay’s answer', () => {
    expect(drafts(sesFixture('send'))).toEqual([]);
  });

  it('gives the same keys every time the same record comes, and other keys to other reports', () => {
    const target = {
      id: '01M8AAAAAAAAAAAAAAAAAAAAAA',
      tenant: 'acme',
      sesMessageId: 'ses-1',
      recipients: ['a@example.com', 'b@example.com'],
    };
    for (const name of SES_FIXTURES) {
      const record = aboutMessage(sesFixture(name), target);
      expect(drafts(record)).toEqual(drafts(structuredClone(record)));
    }
    const first = drafts(aboutMessage(sesFixture('bounce'), { ...target, feedbackId: 'f-1' }));
    const second = drafts(aboutMessage(sesFixture('bounce'), { ...target, feedbackId: 'f-2' }));
    expect(first.map((d) => d.key)).not.toEqual(second.map((d) => d.key));
    expect(first.map((d) => d.email)).toEqual(['a@example.com', 'b@example.com']);
  });
});

describe('sesAnswer', () => {
  it.each([
    ['smtp; 550 5.1.1 user unknown', undefined, { code: 550, enhanced: '5.1.1' }],
    ['250 2.6.0 Message received', undefined, { code: 250, enhanced: '2.6.0' }],
    ['smtp; 552 Mailbox full', '5.2.2', { code: 552, enhanced: '5.2.2' }],
    ['Amazon SES has suppressed sending to this address', '5.1.1', { enhanced: '5.1.1' }],
    ['no code here', 'not a status', {}],
  ])('reads %j (status %j)', (diagnostic, status, expected) => {
    expect(sesAnswer(diagnostic, status)).toEqual({ ...expected, response: diagnostic });
  });
});
