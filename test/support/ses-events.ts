/**
 * SES event records for tests: AWS's own examples (test/fixtures/ses/*.json, verbatim) and
 * small factories that turn them into the variants a test needs — another bounce type, a
 * record about one of mailroom's messages (its SES id, its tags, its recipients, re-dated to
 * now so that DynamoDB Local's TTL leaves the events alone) — and wrap them the way SNS and
 * SQS deliver them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The event types AWS gives an example record for, by fixture file name. */
export const SES_FIXTURES = [
  'send',
  'reject',
  'bounce',
  'complaint',
  'delivery',
  'delivery-delay',
  'rendering-failure',
  'open',
  'click',
  'subscription',
] as const;
export type SesFixture = (typeof SES_FIXTURES)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records are free-form JSON, edited by path
export type SesRecord = Record<string, any>;

/** A fresh copy of AWS's example record. */
export function sesFixture(name: SesFixture): SesRecord {
  return JSON.parse(readFileSync(new URL(`../fixtures/ses/${name}.json`, import.meta.url), 'utf8')) as SesRecord;
}

/**
 * Every bounce type and sub-type of the SES developer guide's table, each with a diagnostic
 * and DSN status of the kind SES reports for it (none for Undetermined).
 */
export const SES_BOUNCE_TYPES: { bounceType: string; bounceSubType: string; status?: string; diagnosticCode?: string; hard: boolean }[] = [
  { bounceType: 'Undetermined', bounceSubType: 'Undetermined', hard: false },
  { bounceType: 'Permanent', bounceSubType: 'General', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown', hard: true },
  {
    bounceType: 'Permanent',
    bounceSubType: 'NoEmail',
    status: '5.1.1',
    diagnosticCode: 'smtp; 550 5.1.1 The email account that you tried to reach does not exist.',
    hard: true,
  },
  {
    bounceType: 'Permanent',
    bounceSubType: 'Suppressed',
    status: '5.1.1',
    diagnosticCode: 'Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.',
    hard: true,
  },
  {
    bounceType: 'Permanent',
    bounceSubType: 'OnAccountSuppressionList',
    status: '5.1.1',
    diagnosticCode: 'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
    hard: true,
  },
  {
    bounceType: 'Transient',
    bounceSubType: 'General',
    status: '4.4.7',
    diagnosticCode: 'smtp; 451 4.4.7 Delivery time expired',
    hard: false,
  },
  { bounceType: 'Transient', bounceSubType: 'MailboxFull', status: '5.2.2', diagnosticCode: 'smtp; 552 5.2.2 Mailbox full', hard: false },
  {
    bounceType: 'Transient',
    bounceSubType: 'MessageTooLarge',
    status: '5.3.4',
    diagnosticCode: 'smtp; 552 5.3.4 Message size exceeds fixed limit',
    hard: false,
  },
  {
    bounceType: 'Transient',
    bounceSubType: 'ContentRejected',
    status: '5.6.0',
    diagnosticCode: 'smtp; 554 5.6.0 Message content rejected',
    hard: false,
  },
  {
    bounceType: 'Transient',
    bounceSubType: 'AttachmentRejected',
    status: '5.6.1',
    diagnosticCode: 'smtp; 554 5.6.1 Attachment type not allowed',
    hard: false,
  },
];

/** AWS's Bounce example turned into another bounce type and sub-type. */
export function bounceRecord(kind: (typeof SES_BOUNCE_TYPES)[number]): SesRecord {
  const record = sesFixture('bounce');
  record.bounce.bounceType = kind.bounceType;
  record.bounce.bounceSubType = kind.bounceSubType;
  const [recipient] = record.bounce.bouncedRecipients;
  if (kind.status) recipient.status = kind.status;
  else delete recipient.status;
  if (kind.diagnosticCode) recipient.diagnosticCode = kind.diagnosticCode;
  else delete recipient.diagnosticCode;
  return record;
}

/** The mailroom message a record is about. */
export interface MessageTarget {
  /** mailroom's id (the `mailroom_id` tag). */
  id: string;
  tenant: string;
  /** SES's message id. */
  sesMessageId: string;
  /** The recipients the record names (and the message's destination). */
  recipients: string[];
  /** When the event happened; now by default. Every time in the record moves along. */
  at?: Date;
  /** A feedback id of its own, so that two bounces or complaints are two reports. */
  feedbackId?: string;
}

const TIME_FIELDS = new Set(['timestamp', 'expirationTime', 'arrivalDate']);

function shiftTimes(value: unknown, byMs: number): void {
  if (Array.isArray(value)) return value.forEach((v) => shiftTimes(v, byMs));
  if (!value || typeof value !== 'object') return;
  const record = value as SesRecord;
  for (const [key, field] of Object.entries(record)) {
    if (TIME_FIELDS.has(key) && typeof field === 'string') record[key] = new Date(Date.parse(field) + byMs).toISOString();
    else shiftTimes(field, byMs);
  }
}

/** The record's own time (its event object's timestamp, else the mail's). */
function eventTime(record: SesRecord): string {
  const own = ['bounce', 'complaint', 'delivery', 'deliveryDelay', 'open', 'click', 'subscription'].find((k) => record[k]?.timestamp);
  return own ? record[own].timestamp : record.mail.timestamp;
}

/** A copy of `record` about one of mailroom's messages (tags, ids, recipients, times). */
export function aboutMessage(record: SesRecord, target: MessageTarget): SesRecord {
  const copy = structuredClone(record);
  shiftTimes(copy, (target.at ?? new Date()).getTime() - Date.parse(eventTime(copy)));
  copy.mail.messageId = target.sesMessageId;
  copy.mail.destination = [...target.recipients];
  copy.mail.tags = { ...copy.mail.tags, mailroom_id: [target.id], mailroom_tenant: [target.tenant] };
  const dsn = (list: SesRecord[] | undefined) => target.recipients.map((emailAddress) => ({ ...(list?.[0] ?? {}), emailAddress }));
  if (copy.bounce) copy.bounce.bouncedRecipients = dsn(copy.bounce.bouncedRecipients);
  if (copy.complaint) copy.complaint.complainedRecipients = target.recipients.map((emailAddress) => ({ emailAddress }));
  if (copy.delivery) copy.delivery.recipients = [...target.recipients];
  if (copy.deliveryDelay) copy.deliveryDelay.delayedRecipients = dsn(copy.deliveryDelay.delayedRecipients);
  for (const key of ['bounce', 'complaint'] as const) if (copy[key] && target.feedbackId) copy[key].feedbackId = target.feedbackId;
  return copy;
}

/** The SNS notification that carries a record to an SQS subscriber (raw message delivery off). */
export function snsEnvelope(record: SesRecord | string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:mailroom-ses-events',
    Message: typeof record === 'string' ? record : JSON.stringify(record),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    Signature:
      'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeURL:
      'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:mailroom-ses-events:example',
  });
}

/** The SQSEvent Lambda would receive for these message bodies. */
export function sqsEvent(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body): SQSRecord => ({
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:mailroom-ses-events',
      awsRegion: 'us-east-1',
    })),
  };
}
