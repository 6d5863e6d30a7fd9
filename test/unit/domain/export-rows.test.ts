import { describe, expect, it } from 'vitest';
import { makeEvent, type EventType, type MailEvent } from '../../../lib/domain/events.ts';
import { errorRows, formatTags, sendRows, type MessageDetail } from '../../../lib/domain/export-rows.ts';
import type { RecipientRecord } from '../../../lib/domain/message.ts';

const AT = '2026-11-28T10:00:00.000Z';

function recipient(email: string, extra: Partial<RecipientRecord> = {}): RecipientRecord {
  return { messageId: 'M1', email, kind: 'to', status: 'queued', attempts: 0, updatedAt: AT, ...extra };
}

function event(recipientEmail: string, type: EventType, at: string, detail: MailEvent['detail'] = {}, attempt = 1): MailEvent {
  return makeEvent({ messageId: 'M1', tenant: 't', recipient: recipientEmail, type, at, attempt, tags: {}, detail });
}

function detail(recipients: RecipientRecord[], events: MailEvent[]): MessageDetail {
  return {
    message: {
      id: 'M1',
      tenant: 't',
      createdAt: AT,
      updatedAt: AT,
      messageIdHeader: '<m1@acme.test>',
      envelopeFrom: 'a@acme.test',
      content: { from: 'Acme <a@acme.test>', to: [], cc: [], bcc: [], replyTo: [], subject: 'Hi', text: 'x', headers: {} },
      tags: { z: '1', a: 'two words' },
      metadata: {},
      status: 'sent',
      attempts: 1,
    },
    recipients,
    events,
  };
}

describe('formatTags', () => {
  it('writes k=v pairs sorted by name, separated by "; "', () => {
    expect(formatTags({ z: '1', a: 'x=y' })).toBe('a=x=y; z=1');
    expect(formatTags({})).toBe('');
  });
});

describe('sendRows', () => {
  it('gives one row per recipient, in the order given, with its last event and relay answer', () => {
    const rows = sendRows(
      detail(
        [
          recipient('b@x.test', { status: 'sent', lastAnswer: { code: 250, response: '250 2.0.0 Ok' } }),
          recipient('a@x.test', { status: 'deferred' }),
          recipient('c@x.test', { status: 'sent' }),
          recipient('d@x.test'),
        ],
        [
          event('b@x.test', 'sent', '2026-11-28T10:00:02.000Z'),
          event('b@x.test', 'queued', '2026-11-28T10:00:00.000Z', {}, 0),
          event('a@x.test', 'deferred', '2026-11-28T10:00:01.000Z', { answer: { code: 451, response: '451 try later' } }),
          event('c@x.test', 'sent', '2026-11-28T10:00:03.000Z', { relay: 'ses', sesMessageId: '0100018c-ses-id' }),
        ],
      ),
    );
    expect(rows).toEqual([
      ['M1', AT, 'Acme <a@acme.test>', 'b@x.test', 'Hi', 'a=two words; z=1', 'sent', 'sent', '2026-11-28T10:00:02.000Z', '250 2.0.0 Ok'],
      [
        'M1',
        AT,
        'Acme <a@acme.test>',
        'a@x.test',
        'Hi',
        'a=two words; z=1',
        'deferred',
        'deferred',
        '2026-11-28T10:00:01.000Z',
        '451 try later',
      ],
      ['M1', AT, 'Acme <a@acme.test>', 'c@x.test', 'Hi', 'a=two words; z=1', 'sent', 'sent', '2026-11-28T10:00:03.000Z', '0100018c-ses-id'],
      ['M1', AT, 'Acme <a@acme.test>', 'd@x.test', 'Hi', 'a=two words; z=1', 'queued', '', '', ''],
    ]);
  });
});

describe('errorRows', () => {
  it('lists rejected, deferred, bounced, failed and complained events in time order, nothing else', () => {
    const rows = errorRows(
      detail(
        [],
        [
          event('a@x.test', 'complained', '2026-11-28T12:00:00.000Z', { relay: 'ses' }),
          event('a@x.test', 'sent', '2026-11-28T10:00:01.000Z'),
          event('a@x.test', 'opened', '2026-11-28T11:00:00.000Z'),
          event('b@x.test', 'bounced', '2026-11-28T10:00:02.000Z', {
            relay: 'smtp',
            bounceType: 'hard',
            category: 'no_such_mailbox',
            explanation: 'The mailbox does not exist.',
            diagnostic: '550 5.1.1 unknown',
            answer: { code: 550, response: '550 5.1.1 unknown user' },
          }),
          event('c@x.test', 'deferred', '2026-11-28T10:00:01.500Z', { relay: 'smtp', answer: { code: 421, response: '421 busy' } }),
          event('d@x.test', 'rejected', '2026-11-28T10:00:00.000Z', { reason: 'suppressed (complaint)' }, 0),
          event('e@x.test', 'failed', '2026-11-28T10:00:05.000Z', { reason: 'gave up' }),
          event('f@x.test', 'failed', '2026-11-28T10:00:06.000Z'),
        ],
      ),
    );
    expect(rows).toEqual([
      ['2026-11-28T10:00:00.000Z', 'M1', 'd@x.test', 'rejected', '', '', 'suppressed (complaint)', '', ''],
      ['2026-11-28T10:00:01.500Z', 'M1', 'c@x.test', 'deferred', 'soft', '', '', '421 busy', 'smtp'],
      [
        '2026-11-28T10:00:02.000Z',
        'M1',
        'b@x.test',
        'bounced',
        'hard',
        'no_such_mailbox',
        'The mailbox does not exist.',
        '550 5.1.1 unknown',
        'smtp',
      ],
      ['2026-11-28T10:00:05.000Z', 'M1', 'e@x.test', 'failed', '', '', 'gave up', '', ''],
      ['2026-11-28T10:00:06.000Z', 'M1', 'f@x.test', 'failed', '', '', 'mailroom could not process the message.', '', ''],
      ['2026-11-28T12:00:00.000Z', 'M1', 'a@x.test', 'complained', '', '', 'The recipient reported the message as spam.', '', 'ses'],
    ]);
  });
});
