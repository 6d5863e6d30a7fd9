/**
 * What an SES event record means in mailroom's terms: one draft event per recipient it names,
 * with a key that is the same every time SES (or SNS, or SQS) hands the same record over
 * again, so that recording it twice changes nothing.
 *
 * | SES            | mailroom       | recipients                          |
 * |----------------|----------------|-------------------------------------|
 * | Delivery       | delivered      | `delivery.recipients`               |
 * | Bounce         | bounced        | `bounce.bouncedRecipients`          |
 * | Complaint      | complained     | `complaint.complainedRecipients`    |
 * | DeliveryDelay  | deferred       | `deliveryDelay.delayedRecipients`   |
 * | Reject         | failed         | every `mail.destination`            |
 * | Rendering Failure | failed      | every `mail.destination`            |
 * | Subscription   | unsubscribed   | every `mail.destination` (opt-outs only) |
 * | Send           | —              | mailroom records `sent` from the relay's answer |
 * | Open, Click    | —              | mailroom tracks opens and clicks itself |
 *
 * SES does not say which recipient unsubscribed; mailroom sends one SES message per mailroom
 * message, so such an event applies to all of its recipients. mailroom turns SES's own open
 * and click tracking off for every message it sends, and the stack does not publish those
 * types; should one arrive all the same (a configuration set published them before), it is
 * left out, so that nothing is counted twice.
 */
import { classifySesBounce } from './bounce-classification.ts';
import type { EventDetail, EventType } from './events.ts';
import type { RelayAnswer } from './message.ts';
import type { SesNotification } from './ses-notification.ts';
import { enhancedStatus } from './smtp-reply.ts';

/** An event as SES reports it, before it is tied to a mailroom message and recipient. */
export interface SesEventDraft {
  type: EventType;
  /** The recipient's address as SES gives it. */
  email: string;
  /** When it happened (ISO-8601, normalised). */
  at: string;
  /** Tells this report apart from others of the same type for the same recipient (`ses-…`). */
  key: string;
  detail: EventDetail;
}

/** `smtp; 550 5.1.1 user unknown` or `250 2.6.0 Message received` as a relay answer. */
export function sesAnswer(diagnostic: string, status?: string): RelayAnswer {
  // DSN Diagnostic-Code fields start with their type (`smtp;`); the reply follows.
  const reply = diagnostic.replace(/^\s*smtp\s*;\s*/i, '');
  const code = /^([2-5]\d\d)\b/.exec(reply)?.[1];
  const enhanced = status && /^[245]\.\d{1,3}\.\d{1,3}$/.test(status) ? status : enhancedStatus(reply);
  return { ...(code && { code: Number(code) }), ...(enhanced && { enhanced }), response: diagnostic };
}

const iso = (time: string): string => new Date(time).toISOString();
// A key from a time: `ses-20170805T004102669Z`. Unique enough for events SES stamps itself.
const timeKey = (time: string): string => `ses-${iso(time).replace(/[-:.]/g, '')}`;

/** The drafts of one SES event record; empty for records that change nothing (Send, Open, Click, opt-ins, `not-spam`). */
export function sesEventDrafts(notification: SesNotification): SesEventDraft[] {
  const { mail } = notification;
  const base: EventDetail = { relay: 'ses', sesMessageId: mail.messageId };
  const every = (type: EventType, at: string, key: string, detail: EventDetail): SesEventDraft[] =>
    mail.destination.map((email) => ({ type, email, at: iso(at), key, detail: { ...base, ...detail } }));

  switch (notification.eventType) {
    case 'Send':
      return [];
    case 'Delivery': {
      const { delivery } = notification;
      const answer = delivery.smtpResponse ? { answer: sesAnswer(delivery.smtpResponse) } : {};
      return delivery.recipients.map((email) => ({
        type: 'delivered',
        email,
        at: iso(delivery.timestamp),
        key: timeKey(delivery.timestamp),
        detail: { ...base, ...answer },
      }));
    }
    case 'Bounce': {
      const { bounce } = notification;
      return bounce.bouncedRecipients.map((recipient) => {
        const classified = classifySesBounce(bounce.bounceType, bounce.bounceSubType, recipient.diagnosticCode);
        const answer = recipient.diagnosticCode ? { answer: sesAnswer(recipient.diagnosticCode, recipient.status) } : {};
        return {
          type: 'bounced',
          email: recipient.emailAddress,
          at: iso(bounce.timestamp),
          key: `ses-${bounce.feedbackId}`,
          detail: {
            ...base,
            ...answer,
            bounceType: classified.type,
            category: classified.category,
            explanation: classified.explanation,
            diagnostic: classified.diagnostic,
            reason: `${bounce.bounceType}/${bounce.bounceSubType}`,
          },
        };
      });
    }
    case 'Complaint': {
      const { complaint } = notification;
      // `not-spam` is the mailbox provider taking a spam report back, not a complaint.
      if (complaint.complaintFeedbackType === 'not-spam') return [];
      const feedback = complaint.complaintFeedbackType ? { complaintFeedbackType: complaint.complaintFeedbackType } : {};
      const subType = complaint.complaintSubType ? { reason: complaint.complaintSubType } : {};
      return complaint.complainedRecipients.map((recipient) => ({
        type: 'complained',
        email: recipient.emailAddress,
        at: iso(complaint.timestamp),
        key: `ses-${complaint.feedbackId}`,
        detail: { ...base, ...feedback, ...subType },
      }));
    }
    case 'DeliveryDelay': {
      const { deliveryDelay: delay } = notification;
      return delay.delayedRecipients.map((recipient) => ({
        type: 'deferred',
        email: recipient.emailAddress,
        at: iso(delay.timestamp),
        key: timeKey(delay.timestamp),
        detail: {
          ...base,
          reason: delay.delayType,
          ...(delay.expirationTime && { expirationTime: iso(delay.expirationTime) }),
          ...(recipient.diagnosticCode && {
            answer: sesAnswer(recipient.diagnosticCode, recipient.status),
            diagnostic: recipient.diagnosticCode,
          }),
        },
      }));
    }
    case 'Reject':
      return every('failed', mail.timestamp, timeKey(mail.timestamp), {
        reason: `SES rejected the message: ${notification.reject?.reason ?? 'no reason given'}`,
      });
    case 'RenderingFailure': {
      const failure = notification.failure?.errorMessage ?? 'the template could not be rendered';
      return every('failed', mail.timestamp, timeKey(mail.timestamp), { reason: `SES rendering failure: ${failure}` });
    }
    case 'Open':
    case 'Click':
      return [];
    case 'Subscription': {
      const { subscription } = notification;
      const optedOut = unsubscribedTopics(subscription);
      if (!optedOut) return [];
      return every('unsubscribed', subscription.timestamp, timeKey(subscription.timestamp), { reason: optedOut });
    }
  }
}

type Subscription = Extract<SesNotification, { eventType: 'Subscription' }>['subscription'];

/** What the recipient opted out of, in words; undefined when the change opted out of nothing. */
function unsubscribedTopics(subscription: Subscription): string | undefined {
  const { newTopicPreferences: now, oldTopicPreferences: before } = subscription;
  const list = subscription.contactList ? ` (contact list ${subscription.contactList})` : '';
  if (now?.unsubscribeAll && !before?.unsubscribeAll) return `unsubscribed from all topics${list}`;
  const wasOut = new Set((before?.topicSubscriptionStatus ?? []).filter((t) => t.subscriptionStatus === 'OptOut').map((t) => t.topicName));
  const topics = (now?.topicSubscriptionStatus ?? []).filter((t) => t.subscriptionStatus === 'OptOut' && !wasOut.has(t.topicName));
  return topics.length ? `unsubscribed from ${topics.map((t) => t.topicName).join(', ')}${list}` : undefined;
}
