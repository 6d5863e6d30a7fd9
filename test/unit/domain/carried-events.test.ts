import { describe, expect, it } from 'vitest';
import { carriedEvents, messageHistory, newlyCarried } from '../../../lib/domain/carried-events.ts';
import { eventBaseOf, makeEvent, type MailEvent } from '../../../lib/domain/events.ts';
import type { MessageRecord, RecipientRecord, StoredMessage } from '../../../lib/domain/message.ts';

const message: MessageRecord = {
  id: '01M96ZA5KHB8D79EQ5AK10DAG7',
  tenant: 'acme',
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  messageIdHeader: '<01m96za5khb8d79eq5ak10dag7@mail.acme.example>',
  envelopeFrom: 'news@mail.acme.example',
  content: {
    from: 'news@mail.acme.example',
    to: ['a@example.org', 'b@example.org'],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: 'Hi',
    headers: {},
  },
  tags: { kind: 'news' },
  metadata: {},
  list: 'weekly',
  campaign: 'c1',
  status: 'queued',
  attempts: 0,
};
const answer = { code: 250, enhanced: '2.0.0', response: '250 2.0.0 Ok: queued as 12' };

function recipient(email: string, fields: Partial<RecipientRecord> = {}): RecipientRecord {
  return { messageId: message.id, email, kind: 'to', status: 'queued', attempts: 0, updatedAt: message.createdAt, ...fields };
}

/** What acceptance and delivery stored as events before the record carried them. */
function storedEvent(email: string, type: 'queued' | 'sent', at: string, attempt: number, detail: MailEvent['detail']): MailEvent {
  return makeEvent({ ...eventBaseOf(message), recipient: email, type, at, attempt, detail });
}

const accepted: StoredMessage = {
  message,
  recipients: [recipient('a@example.org', { carries: { queued: true } }), recipient('b@example.org', { carries: { queued: true } })],
};
const sentAt = '2026-12-07T10:00:01.000Z';
const afterAttempt: StoredMessage = {
  message: { ...message, status: 'deferred', attempts: 1 },
  recipients: [
    recipient('a@example.org', {
      status: 'sent',
      attempts: 1,
      lastAnswer: answer,
      carries: { queued: true, sent: { at: sentAt, attempt: 1, relay: 'smtp', answer } },
    }),
    recipient('b@example.org', { status: 'deferred', attempts: 1, carries: { queued: true } }),
  ],
};

describe('carried events', () => {
  it('are the very events acceptance and delivery stored before: same ids, fields and times', () => {
    expect(carriedEvents(afterAttempt)).toEqual([
      storedEvent('a@example.org', 'queued', message.createdAt, 0, {}),
      storedEvent('a@example.org', 'sent', sentAt, 1, { relay: 'smtp', answer }),
      storedEvent('b@example.org', 'queued', message.createdAt, 0, {}),
    ]);
  });

  it('carry the message-wide fields of reports and notifications: tenant, tags, sender domain, list and campaign', () => {
    const [queued] = carriedEvents(accepted);
    expect(queued).toMatchObject({
      tenant: 'acme',
      tags: { kind: 'news' },
      fromDomain: 'mail.acme.example',
      list: 'weekly',
      campaign: 'c1',
    });
  });

  it('are none for a record that carries none (written before records carried events, or rejected at acceptance)', () => {
    expect(
      carriedEvents({ message, recipients: [recipient('a@example.org'), recipient('b@example.org', { status: 'rejected' })] }),
    ).toEqual([]);
  });

  it('that a write added are told from the record before and after it, whatever else changed', () => {
    expect(newlyCarried(undefined, accepted).map((e) => e.eventId)).toEqual([
      `${message.id}/queued/a@example.org/0`,
      `${message.id}/queued/b@example.org/0`,
    ]);
    expect(newlyCarried(accepted, afterAttempt).map((e) => e.eventId)).toEqual([`${message.id}/sent/a@example.org/1`]);
    // A later write (an outcome, a claim) adds none, and one seen again adds none either.
    const delivered: StoredMessage = {
      ...afterAttempt,
      recipients: afterAttempt.recipients.map((r) => (r.status === 'sent' ? { ...r, status: 'delivered' } : r)),
    };
    expect(newlyCarried(afterAttempt, delivered)).toEqual([]);
    expect(newlyCarried(afterAttempt, afterAttempt)).toEqual([]);
  });

  it('join the stored events in a message history, each once, in time order', () => {
    const deferred = makeEvent({
      ...eventBaseOf(message),
      recipient: 'b@example.org',
      type: 'deferred',
      at: sentAt,
      attempt: 1,
      detail: {},
    });
    // A message accepted before records carried events has its queued events stored as well.
    const queuedStored = storedEvent('a@example.org', 'queued', message.createdAt, 0, {});
    const history = messageHistory(afterAttempt, [deferred, queuedStored]);
    expect(history.map((e) => `${e.type} ${e.recipient}`)).toEqual([
      'queued a@example.org',
      'queued b@example.org',
      'sent a@example.org',
      'deferred b@example.org',
    ]);
    expect(messageHistory(undefined, [deferred])).toEqual([deferred]);
  });
});
