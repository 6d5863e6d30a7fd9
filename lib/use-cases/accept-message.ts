/**
 * Accepting mail: validate, drop suppressed recipients, store the message and its
 * `queued`/`rejected` events, and put a delivery job on the queue. Also the batch form.
 */
import { domainOf, parseMailbox } from '../domain/address.ts';
import type { DeliveryJob } from '../domain/delivery-job.ts';
import * as z from 'zod';
import {
  errorDocument,
  MailroomError,
  ServiceUnavailableError,
  UnprocessableError,
  ValidationError,
  type ErrorBody,
} from '../domain/errors.ts';
import { parseRequest, zodProblems } from '../domain/field-problems.ts';
import { eventBaseOf, makeEvent, type MailEvent } from '../domain/events.ts';
import type { LinkSigner } from '../domain/links.ts';
import type { MessageRecord, RecipientRecord, StoredMessage } from '../domain/message.ts';
import { parseSendRequest, SEND_REQUEST, type SendRequest } from '../domain/send-request.ts';
import type { Suppression } from '../domain/suppression.ts';
import { trackHtml } from '../domain/tracking.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { SendQueue } from '../ports/send-queue.ts';
import type { SenderPolicy } from '../ports/sender-policy.ts';
import type { SendingGate } from '../ports/sending-gate.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';

/** Most messages in one batch request. */
export const MAX_BATCH = 100;

/** A batch, `{"messages": [...]}`, of messages of `message`. */
const batchOf = <T extends z.ZodType>(message: T) =>
  z.strictObject({
    messages: z
      .array(message, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) })
      .min(1, 'at least one message is required')
      .max(MAX_BATCH, `at most ${MAX_BATCH} messages`),
  });

/** A batch as read: each message is checked on its own, so that a bad one does not refuse the others. */
const BATCH = batchOf(z.unknown());

/** A batch as the API describes it: send requests. */
export const BATCH_REQUEST = batchOf(SEND_REQUEST);

export interface AcceptDeps {
  messages: MessageStore;
  events: EventStore;
  suppressions: SuppressionStore;
  queue: SendQueue;
  clock: Clock;
  newId: () => string;
  log: Log;
  /** Signer and public base URL of tracked links; without them, a send that asks for tracking is refused (422). */
  links?: { signer: LinkSigner; baseUrl: string };
  /** Refuses a tenant whose sending is paused (403 `sending_paused`), once per request; absent: every tenant may send. */
  gate?: SendingGate;
  /** Refuses senders whose domain the tenant has not verified (422 `domain_not_verified`); absent: any sender. */
  senders?: SenderPolicy;
}

/** The API's answer for one accepted message. */
export interface Accepted {
  id: string;
  status: 'queued';
  rejected: { email: string; reason: 'suppressed' }[];
}

/** A message ready to store: its records, its acceptance events and its delivery job. */
export interface Prepared {
  stored: StoredMessage;
  events: MailEvent[];
  /** Absent when every recipient was refused. */
  job?: DeliveryJob;
  rejected: Accepted['rejected'];
}

/** How a message other than a plain API send is prepared (campaign messages). */
export interface PrepareOptions {
  /** The message id; a new one when absent. A campaign derives it from campaign and contact, so a re-run creates nothing twice. */
  id?: string;
  list?: string;
  campaign?: string;
  /** Suppressions already looked up by the caller (a campaign looks up a page of contacts at once). */
  suppressed?: Map<string, Suppression>;
}

/** Builds the records of a message: recipients on the suppression list are refused, the rest queued. */
export async function prepare(deps: AcceptDeps, tenant: string, request: SendRequest, options: PrepareOptions = {}): Promise<Prepared> {
  await checkSenders(deps, tenant, request);
  const emails = request.recipients.map((r) => r.email);
  const suppressed = options.suppressed ?? (await deps.suppressions.findMany(tenant, emails));
  const id = options.id ?? deps.newId();
  const at = deps.clock.now().toISOString();
  const message: MessageRecord = {
    id,
    tenant,
    ...(options.list && { list: options.list }),
    ...(options.campaign && { campaign: options.campaign }),
    createdAt: at,
    updatedAt: at,
    messageIdHeader: `<${id.toLowerCase()}@${domainOf(request.envelopeFrom)}>`,
    envelopeFrom: request.envelopeFrom,
    content: tracked(deps, tenant, id, request),
    tags: request.tags,
    metadata: request.metadata,
    status: suppressed.size === emails.length ? 'rejected' : 'queued',
    attempts: 0,
  };
  const recipients: RecipientRecord[] = request.recipients.map((r) => ({
    messageId: id,
    email: r.email,
    kind: r.kind,
    status: suppressed.has(r.email) ? 'rejected' : 'queued',
    attempts: 0,
    updatedAt: at,
  }));
  const events = recipients.map((r) =>
    makeEvent({
      ...eventBaseOf(message),
      recipient: r.email,
      type: r.status === 'rejected' ? 'rejected' : 'queued',
      at,
      attempt: 0,
      detail: r.status === 'rejected' ? { reason: `suppressed (${suppressed.get(r.email)?.reason})` } : {},
    }),
  );
  const rejected = recipients.filter((r) => r.status === 'rejected').map((r) => ({ email: r.email, reason: 'suppressed' as const }));
  const queued = recipients.filter((r) => r.status === 'queued').length;
  const job: DeliveryJob | undefined =
    queued > 0
      ? { v: 1, messageId: id, tenant, attempt: 1, recipients: queued, ...(options.campaign && { lane: 'bulk' as const }) }
      : undefined;
  return { stored: { message, recipients }, events, rejected, ...(job && { job }) };
}

/** The From header's and the envelope sender's domains must be verified for the tenant (before anything is stored). */
async function checkSenders(deps: AcceptDeps, tenant: string, request: SendRequest): Promise<void> {
  if (!deps.senders) return;
  const from = parseMailbox(request.content.from)?.address;
  const addresses = new Set([...(from ? [from] : []), request.envelopeFrom]);
  for (const address of addresses) await deps.senders.check(tenant, address);
}

/**
 * The content with its html part tracked as the request asks (`tracking`). The links carry
 * the first `to` recipient (a campaign message has only one recipient): with several, every
 * open and click is counted for that one.
 */
function tracked(deps: AcceptDeps, tenant: string, messageId: string, request: SendRequest): SendRequest['content'] {
  const { content, tracking } = request;
  if (!tracking || (!tracking.opens && !tracking.clicks) || content.html === undefined) return content;
  if (!deps.links) {
    throw new UnprocessableError(
      'tracking_unavailable',
      'Open and click tracking need the link-signing key, which is not configured (MAILROOM_LINK_SECRET_ARN or MAILROOM_LINK_SECRET).',
    );
  }
  const recipient = (request.recipients.find((r) => r.kind === 'to') ?? request.recipients[0])?.email ?? request.envelopeFrom;
  const html = trackHtml(content.html, { ...deps.links, tenant, messageId, recipient }, tracking);
  return { ...content, html };
}

/** Stores prepared messages with their events and enqueues their delivery jobs; 503 when the queue refuses. */
export async function persist(deps: AcceptDeps, prepared: Prepared[]): Promise<void> {
  for (const p of prepared) {
    await deps.messages.create(p.stored);
    await deps.events.append(p.events);
  }
  const jobs = prepared.flatMap((p) => (p.job ? [p.job] : []));
  if (jobs.length === 0) return;
  try {
    await deps.queue.enqueue(jobs);
  } catch (error) {
    // Nothing will deliver these: say so on the records, and tell the caller to retry.
    const at = deps.clock.now().toISOString();
    await Promise.allSettled(jobs.map((job) => deps.messages.markFailed(job.messageId, at)));
    deps.log.error('enqueue failed', { count: jobs.length, error: String(error) });
    throw new ServiceUnavailableError(undefined, { cause: error });
  }
}

function outcome(p: Prepared): Accepted {
  if (!p.job) {
    throw new UnprocessableError('all_recipients_suppressed', 'Every recipient is on the suppression list; nothing was sent.', {
      id: p.stored.message.id,
      rejected: p.rejected,
    });
  }
  return { id: p.stored.message.id, status: 'queued', rejected: p.rejected };
}

/** Accepts one message for a tenant. Throws 403 while its sending is paused, 400 for invalid input, 422 when all recipients are suppressed. */
export async function acceptMessage(deps: AcceptDeps, tenant: string, body: unknown): Promise<Accepted> {
  await deps.gate?.check(tenant);
  const prepared = await prepare(deps, tenant, parseSendRequest(body));
  await persist(deps, [prepared]);
  deps.log.info('message accepted', { messageId: prepared.stored.message.id, tenant, recipients: prepared.stored.recipients.length });
  return outcome(prepared);
}

/** One entry of a batch answer: the accepted message, or the error it would have got alone. */
export type BatchItemResult = ({ index: number; status_code: 202 } & Accepted) | { index: number; status_code: number; error: ErrorBody };

/** Accepts up to MAX_BATCH messages; each gets its own result, in request order. */
export async function acceptBatch(deps: AcceptDeps, tenant: string, body: unknown): Promise<{ results: BatchItemResult[] }> {
  const parsed = parseRequest(BATCH, body);
  if (!parsed.success) throw new ValidationError('The batch is invalid.', zodProblems(parsed.error));
  const list = parsed.data.messages;
  // The whole batch is refused while sending is paused, before anything is stored.
  await deps.gate?.check(tenant);
  const results: BatchItemResult[] = new Array(list.length);
  const ready: { index: number; prepared: Prepared }[] = [];
  for (const [index, item] of list.entries()) {
    try {
      ready.push({ index, prepared: await prepare(deps, tenant, parseSendRequest(item)) });
    } catch (error) {
      if (!(error instanceof MailroomError)) throw error;
      results[index] = { index, status_code: error.status, ...errorDocument(error) };
    }
  }
  await persist(
    deps,
    ready.map((r) => r.prepared),
  );
  for (const { index, prepared } of ready) {
    try {
      results[index] = { index, status_code: 202, ...outcome(prepared) };
    } catch (error) {
      if (!(error instanceof MailroomError)) throw error;
      results[index] = { index, status_code: error.status, ...errorDocument(error) };
    }
  }
  deps.log.info('batch accepted', { tenant, count: list.length, queued: ready.filter((r) => r.prepared.job).length });
  return { results };
}
