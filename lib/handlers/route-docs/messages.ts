/** Descriptions of the message, attachment and suppression routes. */
import * as z from 'zod';
import { ATTACHMENT, MAX_ATTACHMENTS, MAX_MESSAGE_BYTES, MAX_UPLOAD_BYTES } from '../../domain/attachments.ts';
import { DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT } from '../../domain/feed.ts';
import { SEND_REQUEST } from '../../domain/send-request.ts';
import { SUPPRESSION_INPUT } from '../../domain/suppression.ts';
import { UPLOAD_REQUEST } from '../../domain/uploads.ts';
import { UPLOAD } from '../../http/documents/attachments.ts';
import { ACCEPTED, BATCH_RESULT, MESSAGE, MESSAGE_CONTENT, MESSAGE_PAGE, MESSAGE_STATUS } from '../../http/documents/messages.ts';
import { named } from '../../http/documents/registry.ts';
import { groupedDigits } from '../../http/openapi-parts.ts';
import { SUPPRESSION, SUPPRESSION_PAGE } from '../../http/documents/suppressions.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { MAX_SEND_REQUEST_BYTES } from '../../topology.ts';
import { BATCH_REQUEST, MAX_BATCH } from '../../use-cases/accept-message.ts';
import { UPLOAD_URL_SECONDS } from '../../use-cases/attachments.ts';
import { IDEMPOTENCY_CONFLICT, PAGE_QUERY, SENDING_PAUSED } from './common.ts';

// A file of a send, named so that clients have a type for it (SendRequest refers to it).
named('SendAttachment', ATTACHMENT);

const EMAIL = 'the address, URL-encoded (`ann%40example.org`)';
const MIB = 1024 * 1024;
const MESSAGE_ID = 'the id the send answered';
/** The send body's limit, as people read it (4,669,440). */
const SEND_LIMIT = groupedDigits(MAX_SEND_REQUEST_BYTES);

/** 400 of a send: its fields, and the uploads it names. */
const SEND_INVALID =
  '`invalid_request`: the message is malformed or names invalid values (each in `details`), such as a `send_at` more than 30 days ahead, a file type Amazon SES refuses or bad base64; ' +
  '`attachment_not_found`, `attachment_not_uploaded`, `attachment_expired`: an `attachment_id` that is no upload of this account, whose bytes were never PUT, or that is too old (`details` names the attachment).';

/** 413 of a send: the body, or the message it would compose to. */
const SEND_TOO_LARGE =
  `\`payload_too_large\`: the body is over ${SEND_LIMIT} bytes; upload larger files with \`POST /v1/attachments\` and send them by \`attachment_id\`. ` +
  `\`message_too_large\`: with its files (base64-encoded) the message would compose to over ${MAX_MESSAGE_BYTES / MIB} MiB; nothing was stored.`;

const SEND_UNPROCESSABLE =
  '`all_recipients_suppressed`: every recipient is suppressed (the message is recorded as `rejected`; its id is `details.id`); `domain_not_verified`: the sender’s domain is not verified for the tenant; ' +
  '`template_error`: the stored template does not render with the data (`details` names the problem), nothing was stored; `tracking_unavailable`: tracking asked for and no link-signing key configured; ' +
  '`attachments_unavailable`: files given and the deployment keeps none.';

export const sendMessage: RouteDoc = {
  operationId: 'sendMessage',
  tag: 'Messages',
  summary: 'Send a message',
  description:
    'Validates the message, drops recipients on the suppression list (listed in `rejected`), stores it and queues it for delivery. ' +
    'The content is `subject` with `text`, `html` or both, or a stored `template` and its data. ' +
    `Up to ${MAX_ATTACHMENTS} files go in \`attachments\`: inline in base64 within the body’s limit, or uploaded first (\`POST /v1/attachments\`). ` +
    'With `send_at` ahead, the message is `scheduled` and waits until then; `POST /v1/messages/{id}/cancel` cancels it meanwhile.',
  idempotent: true,
  body: { schema: named('SendRequest', SEND_REQUEST), description: `At most ${SEND_LIMIT} bytes.` },
  responses: { 202: { description: 'Queued, or scheduled for its `send_at`.', schema: ACCEPTED } },
  errors: {
    400: SEND_INVALID,
    403: SENDING_PAUSED,
    404: '`template_not_found`: the stored template is not one of this account’s.',
    409: IDEMPOTENCY_CONFLICT,
    413: SEND_TOO_LARGE,
    422: SEND_UNPROCESSABLE,
    503: '`service_unavailable`: the queue or the scheduler did not take the message (nothing is stored), it could not be stored in time, or the link-signing key could not be read; retry with the same Idempotency-Key.',
  },
};

export const sendBatch: RouteDoc = {
  operationId: 'sendBatch',
  tag: 'Messages',
  summary: `Send up to ${MAX_BATCH} messages`,
  description:
    'Each message is handled as on its own (attachments, templates and `send_at` included); one result per message, in order, with the status and error it would have had alone. A bad message does not stop the others.',
  idempotent: true,
  body: { schema: named('BatchRequest', BATCH_REQUEST), description: `At most ${SEND_LIMIT} bytes.` },
  responses: { 202: { description: 'Each message’s result.', schema: BATCH_RESULT } },
  errors: {
    403: SENDING_PAUSED,
    409: IDEMPOTENCY_CONFLICT,
    413: `\`payload_too_large\`: the body is over ${SEND_LIMIT} bytes; upload larger files with \`POST /v1/attachments\`.`,
    503: '`service_unavailable`: the queue or the scheduler did not take the messages, or they could not be stored in time; a batch of more than ten may have its first tens stored: retry with the same Idempotency-Key to send each once.',
  },
};

export const listMessages: RouteDoc = {
  operationId: 'listMessages',
  tag: 'Messages',
  summary: 'The activity feed: the tenant’s messages, newest first, filtered',
  description:
    'Filters combine: a message is listed when it matches all of them. Each is read from a key or an index, never a scan; a page reads at most 1,000 messages, ' +
    'so a page may come back short, even empty, with a `next_cursor`: keep paging until it is `null`. A cursor belongs to its listing (tenant, filters and times). ' +
    'The indexes follow the messages within a second or so. An unknown parameter is a `400`, so that a misspelt filter never lists everything.',
  query: {
    limit: { schema: z.int().min(1).max(MAX_FEED_LIMIT).default(DEFAULT_FEED_LIMIT), description: 'items per page' },
    cursor: { schema: z.string(), description: 'the previous page’s `next_cursor`, with the same filters' },
    status: { schema: MESSAGE_STATUS, description: 'the status the message shows now, as reading it shows it' },
    to: { schema: z.string(), description: 'an address the message was sent to, in to, cc or bcc' },
    tag: { schema: z.string(), description: '`name=value`: the message has that tag' },
    campaign: { schema: z.string(), description: 'a campaign’s id: its messages' },
    template: { schema: z.string(), description: 'a stored template’s id: the messages made from it, any version' },
    after: { schema: z.string(), description: 'an RFC 3339 time (`2026-03-01T09:30:00Z`): accepted strictly after it' },
    before: { schema: z.string(), description: 'an RFC 3339 time: accepted strictly before it; later than `after`' },
  },
  responses: { 200: { description: 'A page of messages.', schema: MESSAGE_PAGE } },
  errors: {
    400: '`invalid_request`: a bad value, a parameter the listing does not know, or a cursor of another listing (each named in `details`).',
  },
};

export const getMessage: RouteDoc = {
  operationId: 'getMessage',
  tag: 'Messages',
  summary: 'Read a message, its recipients and events',
  description: 'A scheduled message reads `scheduled` until its `send_at`. Its files are listed, not their bytes.',
  params: { id: MESSAGE_ID },
  responses: { 200: { description: 'The message.', schema: MESSAGE } },
  errors: { 404: '`not_found`: no message of that id for this tenant.' },
};

export const getMessageContent: RouteDoc = {
  operationId: 'getMessageContent',
  tag: 'Messages',
  summary: 'Read what a message says: subject, text, html, headers and files',
  description:
    'The content as the sender gave it: the html before open and click tracking rewrote it, the custom headers, and the files’ names and sizes (not their bytes). ' +
    'It is kept for the retention period, as the message is; show the html only in a sandboxed frame, since it is the sender’s markup.',
  params: { id: MESSAGE_ID },
  responses: { 200: { description: 'The content.', schema: MESSAGE_CONTENT } },
  errors: {
    404: getMessage.errors![404]!,
    409: '`content_not_stored`: the message was submitted over SMTP; its bytes are kept only to relay them.',
    410: '`content_expired`: the message is still listed, but its content has passed the retention period.',
  },
};

export const cancelMessage: RouteDoc = {
  operationId: 'cancelMessage',
  tag: 'Messages',
  summary: 'Cancel a scheduled or queued message',
  description:
    'A message still `scheduled`, or `queued` and not yet taken by delivery, becomes `canceled` and is never sent; a `canceled` event is recorded per recipient. Canceling it again answers the same.',
  params: { id: MESSAGE_ID },
  responses: { 200: { description: 'The message, canceled, as reading it shows it.', schema: MESSAGE } },
  errors: {
    404: getMessage.errors![404]!,
    409: '`not_cancelable`: delivery has taken the message, or it is finished.',
  },
};

export const createUpload: RouteDoc = {
  operationId: 'createUpload',
  tag: 'Messages',
  summary: 'Make an upload for a file too large to send inline',
  description:
    `PUT exactly \`size\` bytes (at most ${MAX_UPLOAD_BYTES / MIB} MiB) to the \`upload_url\` within ${UPLOAD_URL_SECONDS / 60} minutes, then send the file with ` +
    '`"attachments": [{"attachment_id": id}]`, in as many messages as you like while the retention lasts. An upload belongs to the account that made it.',
  idempotent: true,
  body: { schema: named('UploadRequest', UPLOAD_REQUEST) },
  responses: { 201: { description: 'Where to PUT the bytes.', schema: UPLOAD } },
  errors: {
    409: IDEMPOTENCY_CONFLICT,
    422: '`attachments_unavailable`: the deployment keeps no files.',
  },
};

export const listSuppressions: RouteDoc = {
  operationId: 'listSuppressions',
  tag: 'Suppressions',
  summary: 'List suppressed addresses',
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of suppressions.', schema: SUPPRESSION_PAGE } },
};

export const getSuppression: RouteDoc = {
  operationId: 'getSuppression',
  tag: 'Suppressions',
  summary: 'Read a suppressed address',
  params: { email: EMAIL },
  responses: { 200: { description: 'The suppression.', schema: SUPPRESSION } },
  errors: { 400: '`invalid_request`: not an email address.', 404: '`not_found`: the address is not suppressed.' },
};

export const putSuppression: RouteDoc = {
  operationId: 'putSuppression',
  tag: 'Suppressions',
  summary: 'Suppress an address',
  params: { email: EMAIL },
  body: { schema: named('SuppressionInput', SUPPRESSION_INPUT), required: false },
  responses: { 200: { description: 'The suppression, added or replaced.', schema: SUPPRESSION } },
};

export const deleteSuppression: RouteDoc = {
  operationId: 'deleteSuppression',
  tag: 'Suppressions',
  summary: 'Remove an address from the suppression list',
  params: { email: EMAIL },
  responses: { 204: { description: 'Removed.' } },
  errors: getSuppression.errors!,
};
