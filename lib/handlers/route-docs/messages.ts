/** Descriptions of the message and suppression routes. */
import { SEND_REQUEST } from '../../domain/send-request.ts';
import { SUPPRESSION_INPUT } from '../../domain/suppression.ts';
import { ACCEPTED, BATCH_RESULT, MESSAGE } from '../../http/documents/messages.ts';
import { named } from '../../http/documents/registry.ts';
import { SUPPRESSION, SUPPRESSION_PAGE } from '../../http/documents/suppressions.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { BATCH_REQUEST, MAX_BATCH } from '../../use-cases/accept-message.ts';
import { IDEMPOTENCY_CONFLICT, PAGE_QUERY, SENDING_PAUSED } from './common.ts';

const EMAIL = 'the address, URL-encoded (`ann%40example.org`)';

export const sendMessage: RouteDoc = {
  operationId: 'sendMessage',
  tag: 'Messages',
  summary: 'Send a message',
  description:
    'Validates the message, drops recipients on the suppression list (listed in `rejected`), stores it and queues it for delivery.',
  idempotent: true,
  body: { schema: named('SendRequest', SEND_REQUEST) },
  responses: { 202: { description: 'Queued.', schema: ACCEPTED } },
  errors: {
    403: SENDING_PAUSED,
    409: IDEMPOTENCY_CONFLICT,
    422: '`all_recipients_suppressed`: every recipient is suppressed (the message is recorded as `rejected`; its id is `details.id`); `domain_not_verified`: the sender’s domain is not verified for the tenant; `tracking_unavailable`: tracking asked for and no link-signing key configured.',
    503: '`service_unavailable`: the queue did not take the message (or the link-signing key could not be read); retry with the same Idempotency-Key.',
  },
};

export const sendBatch: RouteDoc = {
  operationId: 'sendBatch',
  tag: 'Messages',
  summary: `Send up to ${MAX_BATCH} messages`,
  description: 'Each message is handled as on its own; one result per message, in order. A bad message does not stop the others.',
  idempotent: true,
  body: { schema: named('BatchRequest', BATCH_REQUEST) },
  responses: { 202: { description: 'Each message’s result.', schema: BATCH_RESULT } },
  errors: { 403: SENDING_PAUSED, 409: IDEMPOTENCY_CONFLICT, 503: sendMessage.errors![503]! },
};

export const getMessage: RouteDoc = {
  operationId: 'getMessage',
  tag: 'Messages',
  summary: 'Read a message, its recipients and events',
  params: { id: 'the id the send answered' },
  responses: { 200: { description: 'The message.', schema: MESSAGE } },
  errors: { 404: '`not_found`: no message of that id for this tenant.' },
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
