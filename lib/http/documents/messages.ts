/** Answers of the message routes: an accepted send, a batch, a message with its events and files, and its content. */
import * as z from 'zod';
import { BOUNCE_CATEGORIES } from '../../domain/bounce-classification.ts';
import { EVENT_TYPES } from '../../domain/events.ts';
import { MESSAGE_STATUSES } from '../../domain/message.ts';
import { MESSAGE_ATTACHMENT } from './attachments.ts';
import { ERROR_BODY, pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';
import { TEMPLATE_VERSION } from './templates.ts';

/** Status of a message, and of each of its recipients. */
export const MESSAGE_STATUS = named('MessageStatus', z.enum(MESSAGE_STATUSES));

const REJECTED = z.strictObject({ email: z.string(), reason: z.literal('suppressed') });

/** `202` for a send. */
export const ACCEPTED = named(
  'AcceptedMessage',
  z.strictObject({
    id: z.string().describe('the message id: `GET /v1/messages/{id}`'),
    status: z.enum(['queued', 'scheduled']).describe('`scheduled` when its `send_at` lies ahead'),
    send_at: TIMESTAMP.optional().describe('when a scheduled message is to be sent'),
    rejected: z.array(REJECTED).describe('recipients dropped because they are on the suppression list'),
  }),
);

/** `202` for a batch: one result per message, in order. */
export const BATCH_RESULT = named(
  'BatchResult',
  z.strictObject({
    results: z.array(
      z.union([
        ACCEPTED.extend({ index: z.int().min(0), status_code: z.literal(202) }),
        z.strictObject({
          index: z.int().min(0),
          status_code: z.int().min(400).max(599).describe('the status this message would have had on its own'),
          error: ERROR_BODY,
        }),
      ]),
    ),
  }),
);

/** A relay's answer for one recipient. */
export const RELAY_ANSWER = named(
  'RelayAnswer',
  z.strictObject({
    code: z.int().optional().describe('SMTP reply code; absent for SES and connection failures'),
    enhanced: z.string().optional().describe('RFC 3463 enhanced status code, e.g. 5.1.1'),
    response: z.string().describe('the SMTP reply, the SES message id, or the connection error'),
  }),
);

/** What an event knows beyond its type (as notifications carry it). */
export const EVENT_DETAIL = named(
  'EventDetail',
  z.strictObject({
    relay: z.string().optional().describe('smtp, ses or capture'),
    answer: RELAY_ANSWER.optional(),
    bounce_type: z.enum(['hard', 'soft']).optional(),
    reason: z.string().optional(),
    retry_at: TIMESTAMP.optional(),
    send_at: TIMESTAMP.optional().describe('`scheduled`: when the message is to be sent'),
    category: z.enum(BOUNCE_CATEGORIES).optional(),
    explanation: z.string().optional(),
    diagnostic: z.string().optional(),
    ses_message_id: z.string().optional(),
    link: z.string().optional(),
    user_agent: z.string().optional(),
    ip_address: z.string().optional(),
    complaint_feedback_type: z.string().optional(),
    expiration_time: z.string().optional(),
  }),
);

/** `GET /v1/messages/{id}`. */
export const MESSAGE = named(
  'Message',
  z.strictObject({
    id: z.string(),
    status: MESSAGE_STATUS,
    send_at: TIMESTAMP.optional().describe('a scheduled send: not sent before this time'),
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
    message_id_header: z.string().describe('the Message-ID header of the mail'),
    from: z.string(),
    to: z.array(z.string()),
    cc: z.array(z.string()),
    bcc: z.array(z.string()),
    subject: z.string(),
    template: TEMPLATE_VERSION.optional().describe('the stored template the subject and body were rendered from'),
    tags: z.record(z.string(), z.string()),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    attachments: z.array(MESSAGE_ATTACHMENT).optional().describe('its files, in the order given; absent when none'),
    attempts: z.int().min(0),
    recipients: z.array(
      z.strictObject({
        email: z.string(),
        kind: z.enum(['to', 'cc', 'bcc']),
        status: MESSAGE_STATUS,
        attempts: z.int().min(0),
        last_answer: RELAY_ANSWER.optional(),
      }),
    ),
    events: z
      .array(
        z.strictObject({
          type: z.enum(EVENT_TYPES),
          at: TIMESTAMP,
          recipient: z.string(),
          attempt: z.int().min(0),
          detail: EVENT_DETAIL,
        }),
      )
      .describe('in time order'),
  }),
);

/** `GET /v1/messages/{id}/content`. */
export const MESSAGE_CONTENT = named(
  'MessageContent',
  z.strictObject({
    id: z.string(),
    subject: z.string(),
    text: z.string().optional().describe('the text part; absent when the message has none'),
    html: z.string().optional().describe('the html part as the sender gave it, before tracking rewrote its links; absent when none'),
    headers: z.record(z.string(), z.string()).describe('the custom headers given at send, names as given'),
    attachments: z
      .array(z.strictObject({ filename: z.string(), content_type: z.string(), size: z.int().min(0).describe('bytes') }))
      .describe('its files, in the order given: names and sizes, not their bytes'),
  }),
);

/** A message as the activity feed lists it: each field as `GET /v1/messages/{id}` shows it. */
export const MESSAGE_SUMMARY = named(
  'MessageSummary',
  z.strictObject({
    id: z.string(),
    status: MESSAGE_STATUS.describe('the status the message shows now'),
    created_at: TIMESTAMP,
    send_at: TIMESTAMP.optional().describe('a scheduled send: not sent before this time'),
    from: z.string(),
    to: z.array(z.string()).describe('the To header’s addresses'),
    subject: z.string(),
    template: TEMPLATE_VERSION.optional().describe('the stored template the subject and body were rendered from'),
    tags: z.record(z.string(), z.string()),
  }),
);

/** `GET /v1/messages`: a page of the activity feed, newest first. */
export const MESSAGE_PAGE = pageOf('MessagePage', MESSAGE_SUMMARY);
