/**
 * The JSON that Amazon SES publishes for a configuration set's event destination (the
 * `Message` of the SNS notification), validated. Only the fields mailroom reads are checked;
 * everything else SES sends (headers, commonHeaders, …) passes through untouched, so a field
 * SES adds later breaks nothing.
 *
 * Reference: "Contents of event data that Amazon SES publishes to Amazon SNS" and
 * "Examples of event data that Amazon SES publishes to Amazon SNS" (SES developer guide).
 */
import * as z from 'zod';
import { InvalidSesNotificationError } from './errors.ts';

/** The event types SES publishes, as mailroom names them (`Rendering Failure` without the space). */
export const SES_EVENT_TYPES = [
  'Send',
  'Reject',
  'Bounce',
  'Complaint',
  'Delivery',
  'DeliveryDelay',
  'RenderingFailure',
  'Open',
  'Click',
  'Subscription',
] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

const time = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO-8601 time');
const text = z.string().optional();

const MAIL = z.looseObject({
  messageId: z.string().min(1),
  timestamp: time,
  source: text,
  destination: z.array(z.string()).default([]),
  // Tag values come as arrays of strings (`"mailroom_id": ["01M8…"]`).
  tags: z.record(z.string(), z.array(z.string())).default({}),
});

const DSN_RECIPIENT = z.looseObject({ emailAddress: z.string().min(1), action: text, status: text, diagnosticCode: text });

const BOUNCE = z.looseObject({
  bounceType: z.string().min(1),
  bounceSubType: z.string().min(1),
  bouncedRecipients: z.array(DSN_RECIPIENT),
  timestamp: time,
  feedbackId: z.string().min(1),
  reportingMTA: text,
});

const COMPLAINT = z.looseObject({
  complainedRecipients: z.array(z.looseObject({ emailAddress: z.string().min(1) })),
  timestamp: time,
  feedbackId: z.string().min(1),
  complaintSubType: z.string().nullish(),
  complaintFeedbackType: text,
  userAgent: text,
  arrivalDate: text,
});

const DELIVERY = z.looseObject({
  timestamp: time,
  processingTimeMillis: z.number().optional(),
  recipients: z.array(z.string()),
  smtpResponse: text,
  reportingMTA: text,
});

const DELIVERY_DELAY = z.looseObject({
  timestamp: time,
  delayType: z.string().min(1),
  expirationTime: time.optional(),
  delayedRecipients: z.array(DSN_RECIPIENT),
  reportingMTA: text,
});

const OPEN = z.looseObject({ timestamp: time, ipAddress: text, userAgent: text });
const CLICK = OPEN.extend({ link: z.string(), linkTags: z.record(z.string(), z.array(z.string())).optional() });
const REJECT = z.looseObject({ reason: text });
const FAILURE = z.looseObject({ errorMessage: text, templateName: text });

const TOPIC_PREFERENCES = z.looseObject({
  unsubscribeAll: z.boolean().optional(),
  topicSubscriptionStatus: z.array(z.looseObject({ topicName: z.string(), subscriptionStatus: z.string() })).optional(),
});
const SUBSCRIPTION = z.looseObject({
  contactList: text,
  timestamp: time,
  source: text,
  newTopicPreferences: TOPIC_PREFERENCES.optional(),
  oldTopicPreferences: TOPIC_PREFERENCES.optional(),
});

const event = <T extends SesEventType, S extends z.ZodRawShape>(eventType: T, shape: S) =>
  z.looseObject({ eventType: z.literal(eventType), mail: MAIL, ...shape });

const NOTIFICATION = z.discriminatedUnion('eventType', [
  event('Send', { send: z.looseObject({}).optional() }),
  event('Reject', { reject: REJECT.optional() }),
  event('Bounce', { bounce: BOUNCE }),
  event('Complaint', { complaint: COMPLAINT }),
  event('Delivery', { delivery: DELIVERY }),
  event('DeliveryDelay', { deliveryDelay: DELIVERY_DELAY }),
  event('RenderingFailure', { failure: FAILURE.optional() }),
  event('Open', { open: OPEN }),
  event('Click', { click: CLICK }),
  event('Subscription', { subscription: SUBSCRIPTION }),
]);

/** A validated SES event record. */
export type SesNotification = z.infer<typeof NOTIFICATION>;
/** The `mail` object every record carries. */
export type SesMail = SesNotification['mail'];

// SES writes `Rendering Failure` with a space; identity notifications (not event publishing)
// call the field `notificationType`. Both are accepted so that either setup can feed mailroom.
function eventTypeOf(record: Record<string, unknown>): unknown {
  const raw = record.eventType ?? record.notificationType;
  return raw === 'Rendering Failure' ? 'RenderingFailure' : raw;
}

/**
 * Validates an SES event record (already parsed from JSON).
 * @throws InvalidSesNotificationError naming the first offending field, or the unknown event type.
 */
export function parseSesNotification(input: unknown): SesNotification {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidSesNotificationError('the SES event record is not a JSON object');
  }
  const record = input as Record<string, unknown>;
  const eventType = eventTypeOf(record);
  if (typeof eventType !== 'string' || !(SES_EVENT_TYPES as readonly string[]).includes(eventType)) {
    throw new InvalidSesNotificationError(`unknown SES event type ${JSON.stringify(eventType)}`);
  }
  const parsed = NOTIFICATION.safeParse({ ...record, eventType });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(record)';
    throw new InvalidSesNotificationError(`SES ${eventType} record: ${path} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** The first value of an SES message tag, if the mail carries it. */
export function sesTag(mail: SesMail, name: string): string | undefined {
  return mail.tags[name]?.[0];
}
