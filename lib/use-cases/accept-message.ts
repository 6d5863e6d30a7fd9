/**
 * Accepting mail: validate, render a stored template the request names, drop suppressed
 * recipients, put a delivery job on the queue (or, for a message with `send_at`, hand it over
 * to wait: dispatch-jobs.ts), and store the message and its `scheduled` and `rejected` events
 * (in that order: see persist); a `queued` event is carried by the message record itself
 * (carried-events.ts). Also the batch form.
 */
import { domainOf, parseMailbox } from '../domain/address.ts';
import { STORE_DEADLINE_MS, type DeliveryJob } from '../domain/delivery-job.ts';
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
import { CARRIED_BODIES_MAX_BYTES, packBodies } from '../domain/packed-bodies.ts';
import { parseSendInput, SEND_REQUEST, type SendRequest } from '../domain/send-request.ts';
import type { Suppression } from '../domain/suppression.ts';
import { sendAtProblem } from '../domain/schedule.ts';
import { trackHtml } from '../domain/tracking.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeliveryScheduler } from '../ports/delivery-scheduler.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MessageBatchWriter } from '../ports/message-batch-writer.ts';
import { isMessageExistsError, type MessageStore } from '../ports/message-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { SendQueue } from '../ports/send-queue.ts';
import type { SenderPolicy } from '../ports/sender-policy.ts';
import type { SendingGate } from '../ports/sending-gate.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';
import { countRefused, countStored } from './acceptance-metrics.ts';
import { dispatchJobs } from './dispatch-jobs.ts';
import { storeAttachments, type AttachmentDeps } from './attachments.ts';
import type { RequestIds } from './idempotent.ts';
import { sendRenderer, type TemplateSendDeps } from './template-send.ts';

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

/** What accepting mail needs; the stored templates (TemplateSendDeps) for sends that name one. */
export interface AcceptDeps extends TemplateSendDeps {
  messages: MessageStore;
  events: EventStore;
  /**
   * Writes a message whose id was made for it just now, with its events, in one go (DynamoDB:
   * one request); absent: such messages are created like the others, then their events appended.
   */
  newMessages?: MessageBatchWriter;
  suppressions: SuppressionStore;
  queue: SendQueue;
  /** One-time schedules of messages due more than 15 minutes ahead (`send_at`); see dispatch-jobs.ts without one. */
  scheduler?: DeliveryScheduler;
  clock: Clock;
  newId: () => string;
  log: Log;
  /** Signer and public base URL of tracked links; without them, a send that asks for tracking is refused (422). */
  links?: { signer: LinkSigner; baseUrl: string };
  /** Refuses a tenant whose sending is paused (403 `sending_paused`), once per request; absent: every tenant may send. */
  gate?: SendingGate;
  /** Refuses senders whose domain the tenant has not verified (422 `domain_not_verified`); absent: any sender. */
  senders?: SenderPolicy;
  /** Where the files of sends go; absent: a send with attachments is refused (422). */
  attachments?: AttachmentDeps;
  /** Counts what is accepted and rejected (acceptance-metrics.ts); absent: nothing is counted. */
  metrics?: Metrics;
}

/** The API's answer for one accepted message. */
export interface Accepted {
  id: string;
  /** `scheduled` when it waits for its `send_at`. */
  status: 'queued' | 'scheduled';
  /** When a scheduled message is to be sent (ISO). */
  send_at?: string;
  rejected: { email: string; reason: 'suppressed' }[];
}

/** A message ready to store: its records, its acceptance events and its delivery job. */
export interface Prepared {
  stored: StoredMessage;
  events: MailEvent[];
  /** Absent when every recipient was refused. */
  job?: DeliveryJob;
  rejected: Accepted['rejected'];
  /** Its id was made for it (PrepareOptions.id absent): no earlier try can have stored it. */
  isNew: boolean;
}

/** How a message other than a plain API send is prepared (campaign messages). */
export interface PrepareOptions {
  /**
   * The message id; a new one when absent. A campaign derives it from campaign and contact, an
   * idempotent request from its key, so that a re-run or a retry creates nothing twice.
   */
  id?: string;
  list?: string;
  campaign?: string;
  /** Suppressions already looked up by the caller (a campaign looks up a page of contacts at once). */
  suppressed?: Map<string, Suppression>;
}

/**
 * Builds the records of a message: recipients on the suppression list are refused, the rest
 * queued; a message whose `send_at` lies ahead is `scheduled` until then (400 when it lies more
 * than 30 days ahead).
 */
export async function prepare(deps: AcceptDeps, tenant: string, request: SendRequest, options: PrepareOptions = {}): Promise<Prepared> {
  const now = deps.clock.now();
  const problem = request.sendAt === undefined ? undefined : sendAtProblem(request.sendAt, now.getTime());
  if (problem) throw new ValidationError('The message is invalid.', [{ field: 'send_at', message: problem }]);
  await checkSenders(deps, tenant, request);
  const emails = request.recipients.map((r) => r.email);
  const suppressed = options.suppressed ?? (await deps.suppressions.findMany(tenant, emails));
  const id = options.id ?? deps.newId();
  // Files are checked and stored before the message is: its job must find them.
  const attachments = await storeAttachments(deps, tenant, id, request);
  const at = now.toISOString();
  const allSuppressed = suppressed.size === emails.length;
  // Suppressions and the sending gate are checked again when it is sent, as for any message.
  const sendAt = request.sendAt !== undefined && request.sendAt > now.getTime() && !allSuppressed ? request.sendAt : undefined;
  const message: MessageRecord = {
    id,
    tenant,
    ...(options.list && { list: options.list }),
    ...(options.campaign && { campaign: options.campaign }),
    ...(request.template && { template: request.template }),
    createdAt: at,
    updatedAt: at,
    messageIdHeader: `<${id.toLowerCase()}@${domainOf(request.envelopeFrom)}>`,
    envelopeFrom: request.envelopeFrom,
    content: { ...tracked(deps, tenant, id, request), ...(attachments && { attachments }) },
    tags: request.tags,
    metadata: request.metadata,
    status: allSuppressed ? 'rejected' : sendAt !== undefined ? 'scheduled' : 'queued',
    ...(sendAt !== undefined && { sendAt: new Date(sendAt).toISOString() }),
    attempts: 0,
  };
  // A recipient queued now carries its `queued` event in the message record (carried-events.ts).
  const carried = !message.sendAt;
  const recipients: RecipientRecord[] = request.recipients.map((r) => ({
    messageId: id,
    email: r.email,
    kind: r.kind,
    status: suppressed.has(r.email) ? 'rejected' : 'queued',
    attempts: 0,
    updatedAt: at,
    ...(carried && !suppressed.has(r.email) && { carries: { queued: true } }),
  }));
  const events = recipients
    .filter((r) => !r.carries?.queued)
    .map((r) =>
      makeEvent({
        ...eventBaseOf(message),
        recipient: r.email,
        type: r.status === 'rejected' ? 'rejected' : message.sendAt ? 'scheduled' : 'queued',
        at,
        attempt: 0,
        detail:
          r.status === 'rejected'
            ? { reason: `suppressed (${suppressed.get(r.email)?.reason})` }
            : message.sendAt
              ? { sendAt: message.sendAt }
              : {},
      }),
    );
  const rejected = recipients.filter((r) => r.status === 'rejected').map((r) => ({ email: r.email, reason: 'suppressed' as const }));
  const queued = recipients.filter((r) => r.status === 'queued').length;
  const bodies = queued > 0 ? packBodies(message.content) : undefined;
  const job: DeliveryJob | undefined =
    queued > 0
      ? {
          v: 1,
          messageId: id,
          tenant,
          attempt: 1,
          recipients: queued,
          ...(options.campaign && { lane: 'bulk' as const }),
          ...(sendAt !== undefined && { notBefore: sendAt }),
          ...(bodies && bodies.byteLength <= CARRIED_BODIES_MAX_BYTES && { bodies: Buffer.from(bodies).toString('base64') }),
        }
      : undefined;
  return { stored: { message, recipients }, events, rejected, isNew: options.id === undefined, ...(job && { job }) };
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
function tracked(deps: AcceptDeps, tenant: string, messageId: string, request: SendRequest): MessageRecord['content'] {
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
  // The sender's own html is kept too: reading the content shows it, not mailroom's links.
  return { ...content, html, ...(html !== content.html && { sourceHtml: content.html }) };
}

/** Messages enqueued, then stored, at once: one SendMessageBatch. */
const PERSIST_CHUNK = 10;

/**
 * Hands prepared messages to delivery: ten at a time, enqueues their delivery jobs (or
 * schedules those due later: dispatch-jobs.ts), then stores the messages and their events.
 * The job goes first so that no message is ever stored without one, whatever stops the
 * request: a job whose message never comes (the request failed or died before storing it,
 * and its client heard no 202) is dropped by delivery once it is UNSTORED_JOB_MAX_AGE_MS old,
 * as is a scheduled one when its time comes. The ten are written side by side, so that a job
 * seldom arrives before its message. A message that exists already was stored by an earlier
 * try of the same idempotent request (its id comes from the key): it stays as it is, and its
 * events are written again, which changes nothing.
 *
 * @throws ServiceUnavailableError when the queue (or the scheduler) refuses, or when the writes would start later
 *   than STORE_DEADLINE_MS after the enqueue; the store's error when a write fails.
 */
export async function persist(deps: AcceptDeps, prepared: Prepared[]): Promise<void> {
  for (let start = 0; start < prepared.length; start += PERSIST_CHUNK) {
    const chunk = prepared.slice(start, start + PERSIST_CHUNK);
    const enqueuedAt = deps.clock.now().getTime();
    const jobs = chunk.flatMap((p) => (p.job ? [{ ...p.job, enqueuedAt }] : []));
    if (jobs.length > 0) {
      try {
        await dispatchJobs(deps, jobs);
      } catch (error) {
        // Nothing of these messages is stored: the caller may simply retry.
        deps.log.error('enqueue failed', { count: jobs.length, error: String(error) });
        throw new ServiceUnavailableError(undefined, { cause: error });
      }
    }
    // Messages whose ids were made for them go together: their items and events share requests.
    const writer = deps.newMessages;
    const fresh = writer ? chunk.filter((p) => p.isNew) : [];
    const others = chunk.filter((p) => !fresh.includes(p));
    const written = await Promise.allSettled([
      ...(writer && fresh.length > 0 ? [storeNew(deps, writer, fresh, enqueuedAt)] : []),
      ...others.map((p) => store(deps, p, enqueuedAt)),
    ]);
    const failed = written.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    countStored(
      deps.metrics,
      chunk.map((p) => p.stored),
    );
  }
}

/** Throws when the writes of `p` would start past the deadline of its job. */
function checkDeadline(deps: AcceptDeps, p: Prepared, enqueuedAt: number): void {
  if (p.job && deps.clock.now().getTime() - enqueuedAt > STORE_DEADLINE_MS) {
    // Delivery may drop the job any time now: a message stored after that would never be sent.
    throw new ServiceUnavailableError(undefined, { cause: new Error(`message ${p.stored.message.id} not stored in time`) });
  }
}

/** Stores messages whose ids were made for them (no earlier try can have stored them), with their events, in one go. */
async function storeNew(deps: AcceptDeps, writer: MessageBatchWriter, fresh: Prepared[], enqueuedAt: number): Promise<void> {
  for (const p of fresh) checkDeadline(deps, p, enqueuedAt);
  await writer.writeNew(
    fresh.map((p) => p.stored),
    fresh.flatMap((p) => p.events),
  );
}

/** Stores one message (unless an earlier try did) and its events, starting before the deadline of its job. */
async function store(deps: AcceptDeps, p: Prepared, enqueuedAt: number): Promise<void> {
  checkDeadline(deps, p, enqueuedAt);
  try {
    await deps.messages.create(p.stored);
  } catch (error) {
    if (!isMessageExistsError(error)) throw error;
  }
  await deps.events.append(p.events);
}

function outcome(p: Prepared): Accepted {
  if (!p.job) {
    throw new UnprocessableError('all_recipients_suppressed', 'Every recipient is on the suppression list; nothing was sent.', {
      id: p.stored.message.id,
      rejected: p.rejected,
    });
  }
  const { id, status, sendAt } = p.stored.message;
  return { id, status: status === 'scheduled' ? 'scheduled' : 'queued', ...(sendAt && { send_at: sendAt }), rejected: p.rejected };
}

/**
 * Accepts one message for a tenant. Throws 403 while its sending is paused, 400 for invalid
 * input, 422 when all recipients are suppressed. `ids`: the id to give it (`ids(0)`), the same
 * for every try of an idempotent request; a new one when absent.
 */
export async function acceptMessage(deps: AcceptDeps, tenant: string, body: unknown, ids?: RequestIds): Promise<Accepted> {
  let prepared: Prepared;
  try {
    await deps.gate?.check(tenant);
    const render = sendRenderer(deps, tenant);
    prepared = await prepare(deps, tenant, await render(parseSendInput(body)), ids ? { id: ids(0) } : {});
  } catch (error) {
    throw countRefused(deps.metrics, error);
  }
  // Counted once stored, suppressed recipients included (a message whose every recipient is suppressed is stored too).
  await persist(deps, [prepared]);
  deps.log.info('message accepted', { messageId: prepared.stored.message.id, tenant, recipients: prepared.stored.recipients.length });
  return outcome(prepared);
}

/** One entry of a batch answer: the accepted message, or the error it would have got alone. */
export type BatchItemResult = ({ index: number; status_code: 202 } & Accepted) | { index: number; status_code: number; error: ErrorBody };

/** Accepts up to MAX_BATCH messages; each gets its own result, in request order, and the id `ids(index)` when given. */
export async function acceptBatch(
  deps: AcceptDeps,
  tenant: string,
  body: unknown,
  ids?: RequestIds,
): Promise<{ results: BatchItemResult[] }> {
  const parsed = parseRequest(BATCH, body);
  if (!parsed.success) throw countRefused(deps.metrics, new ValidationError('The batch is invalid.', zodProblems(parsed.error)));
  const list = parsed.data.messages;
  // The whole batch is refused while sending is paused, before anything is stored.
  await deps.gate?.check(tenant).catch((error: unknown) => {
    throw countRefused(deps.metrics, error, list.length);
  });
  // One read and compilation of each template the batch names.
  const render = sendRenderer(deps, tenant);
  const results: BatchItemResult[] = new Array(list.length);
  const ready: { index: number; prepared: Prepared }[] = [];
  for (const [index, item] of list.entries()) {
    try {
      ready.push({ index, prepared: await prepare(deps, tenant, await render(parseSendInput(item)), ids ? { id: ids(index) } : {}) });
    } catch (error) {
      if (!(error instanceof MailroomError)) throw error;
      countRefused(deps.metrics, error);
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
