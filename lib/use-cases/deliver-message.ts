/**
 * Delivering one job from the send queue: claim the attempt with a conditional write, relay
 * to the pending recipients, and record per recipient what the relay answered — sent,
 * deferred (retried with backoff until the deadline, then a soft bounce) or bounced (a hard
 * bounce suppresses the address when it says the mailbox or domain does not exist), each
 * failure with its category and explanation (bounce-classification.ts).
 *
 * Order of writes after the relay answered: events, suppressions, the message's state,
 * and last the retry job. A worker that dies before the state is written leaves its lease
 * to expire; the redelivered job then takes the attempt over, keeps the answers the events
 * recorded, and relays only to recipients without one (so a recipient receives a copy twice
 * only when the worker died before writing the events). A worker that dies after the state but before the
 * retry job is covered by the redelivered job, which re-enqueues the retry. A write that
 * fails there (DynamoDB throttling that outlasts the SDK's retries) is tried again while the
 * lease holds, rather than handing the job back to the queue, which would relay it again.
 *
 * The first job of a message is enqueued before the message is stored (accept-message.ts,
 * persist): a job whose message is not there yet goes back to the queue for a while, and is
 * dropped once it is older than the writer could ever take to store the message.
 */
import { UNSTORED_JOB_MAX_AGE_MS, unstoredJobDelaySeconds, type DeliveryJob } from '../domain/delivery-job.ts';
import { PoisonMessageError } from '../domain/errors.ts';
import { eventBaseOf, makeEvent, type EventDetail, type EventType, type MailEvent } from '../domain/events.ts';
import { isPending, overallStatus, type RecipientRecord, type RelayAnswer, type StoredMessage } from '../domain/message.ts';
import { backoffSeconds, nextRetryAt, type RetryPolicy } from '../domain/retry.ts';
import { classifySmtpFailure } from '../domain/bounce-classification.ts';
import { classifyAnswer } from '../domain/smtp-reply.ts';
import type { SoftBouncePolicy } from '../domain/soft-bounce-policy.ts';
import type { Unsubscribe } from '../domain/mailing-list.ts';
import type { Suppression } from '../domain/suppression.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MailRelay, OutgoingMail, RecipientResult } from '../ports/mail-relay.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { SendQueue } from '../ports/send-queue.ts';
import type { SendingGate } from '../ports/sending-gate.ts';
import { isSendingPaused } from './sending-gate.ts';
import type { Pacer } from '../ports/pacer.ts';
import type { RawMessageStore } from '../ports/raw-message-store.ts';
import type { SoftBounceStore } from '../ports/soft-bounce-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';
import type { UnsubscribeStore } from '../ports/unsubscribe-store.ts';
import { suppressAfter } from './ses-suppressions.ts';
import { loadAttachments } from './attachments.ts';
import type { AttachmentStore } from '../ports/attachment-store.ts';
import type { ByteBudget } from './byte-budget.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { countAttempt, type AttemptTiming } from './delivery-metrics.ts';

export interface DeliverDeps {
  messages: MessageStore;
  events: EventStore;
  suppressions: SuppressionStore;
  /** Unsubscribes, checked for messages sent to a list. */
  unsubscribes: UnsubscribeStore;
  queue: SendQueue;
  relay: MailRelay;
  clock: Clock;
  retry: RetryPolicy;
  /** How long an attempt holds the message (longer than the function may run). */
  leaseMs: number;
  /** Longest delay the queue supports, in seconds. */
  maxDelaySeconds: number;
  /** Soft-bounce history and rule: an address that soft-bounces repeatedly is suppressed. */
  softBounces: SoftBounceStore;
  softBouncePolicy: SoftBouncePolicy;
  /** Paces attempts to the relay's maximum rate; absent: no pacing. */
  pacer?: Pacer;
  /** Where messages submitted over SMTP are kept (`MessageRecord.raw`); needed only for those. */
  rawMessages?: RawMessageStore;
  /** Where the bytes of attachments are kept; needed only for messages with attachments. */
  attachments?: Pick<AttachmentStore, 'get'>;
  /**
   * Bytes of attachments the jobs of this process may hold at once (composing and signing a
   * message takes several times its files in memory); absent: no limit. A job that finds no
   * room within maxPaceWaitMs gives its claim back, as when the relay has none.
   */
  attachmentMemory?: ByteBudget;
  /** Longest a job waits for the relay's allowance before it is postponed through the queue (5 s by default). */
  maxPaceWaitMs?: number;
  /** Holds back the jobs of a tenant whose sending is paused; absent: every tenant may send. */
  gate?: SendingGate;
  /** Age after which a first job whose message is still not stored is dropped; UNSTORED_JOB_MAX_AGE_MS by default. */
  unstoredJobMaxAgeMs?: number;
  /** How long a young first job whose message is not stored yet waits before looking once more; EARLY_JOB_WAIT_MS by default. */
  earlyJobWaitMs?: number;
  /** Counts each recorded attempt's outcomes and times (delivery-metrics.ts); absent: nothing is counted. */
  metrics?: Metrics;
  log: Log;
}

/** What the queue told us about this delivery of the job. */
export interface JobContext {
  /** How many times the queue has handed out this queue message (1 the first time). */
  receiveCount: number;
}

/** What became of the job; the caller only needs to know it finished. */
export type DeliverOutcome = 'delivered-attempt' | 'postponed' | 'duplicate' | 'dead-lettered' | 'dropped';

function event(stored: StoredMessage, recipient: string, type: EventType, attempt: number, at: string, detail: EventDetail): MailEvent {
  return makeEvent({ ...eventBaseOf(stored.message), recipient, type, at, attempt, detail });
}

/** Age under which a first job that finds no message waits EARLY_JOB_WAIT_MS and looks once more. */
export const EARLY_JOB_AGE_MS = 2_000;
/** See EARLY_JOB_AGE_MS. */
export const EARLY_JOB_WAIT_MS = 200;

/** Runs one delivery job. Throws to have the queue hand the job out again later. */
export async function deliverMessage(deps: DeliverDeps, job: DeliveryJob, context: JobContext): Promise<DeliverOutcome> {
  let now = deps.clock.now().getTime();
  if (job.notBefore !== undefined && job.notBefore > now + 1000) {
    // Backoffs longer than the queue's delay limit hop through the queue until due.
    const delay = Math.min(deps.maxDelaySeconds, Math.ceil((job.notBefore - now) / 1000));
    await deps.queue.enqueue([job], delay);
    return 'postponed';
  }
  if (await isSendingPaused(deps.gate, job.tenant)) {
    // Not an attempt: nothing is claimed or counted, and the job looks again after the queue's longest delay.
    await deps.queue.enqueue([job], deps.maxDelaySeconds);
    return 'postponed';
  }

  const bodies = job.bodies === undefined ? undefined : Buffer.from(job.bodies, 'base64');
  let claim = await deps.messages.claim(job.messageId, job.attempt, now, now + deps.leaseMs, bodies);
  if (claim.kind === 'missing' && job.enqueuedAt !== undefined && now - job.enqueuedAt < EARLY_JOB_AGE_MS) {
    // Acceptance stores a message moments after it queues the job: look once more in a moment,
    // rather than send the job round the queue again (a send, a receive, a delete, a claim).
    await sleep(deps.earlyJobWaitMs ?? EARLY_JOB_WAIT_MS);
    now = deps.clock.now().getTime();
    claim = await deps.messages.claim(job.messageId, job.attempt, now, now + deps.leaseMs, bodies);
  }
  switch (claim.kind) {
    case 'missing':
      if (job.enqueuedAt !== undefined) return awaitMessage(deps, job, now - job.enqueuedAt);
      await deps.queue.deadLetter(job, 'message not found');
      deps.log.warn('job for unknown message dead-lettered', { messageId: job.messageId });
      return 'dead-lettered';
    case 'busy':
      // Another worker holds this attempt; look again once its lease may have run out.
      await deps.queue.enqueue([job], Math.min(deps.maxDelaySeconds, Math.ceil(deps.leaseMs / 1000)));
      return 'postponed';
    case 'done':
      if (context.receiveCount > 1) await resumeRetry(deps, job, now);
      return 'duplicate';
    case 'claimed':
      break;
  }
  const stored = claim.stored;
  if (stored.message.tenant !== job.tenant) {
    await deps.queue.deadLetter(job, 'tenant mismatch');
    return 'dead-lettered';
  }
  try {
    if (!(await attempt(deps, stored, job, now, now + deps.leaseMs, claim.takeover))) {
      // The relay's allowance is spoken for: the claim was given back; come back in a few seconds, spread out.
      await deps.queue.enqueue([job], 1 + Math.floor(Math.random() * 5));
      return 'postponed';
    }
  } catch (error) {
    if (!(error instanceof PoisonMessageError)) throw error;
    await failMessage(deps, job, error.message);
    return 'dead-lettered';
  }
  return 'delivered-attempt';
}

/**
 * A first job whose message is not stored (yet), `age` ms after it was enqueued: it comes back
 * later (unstoredJobDelaySeconds); past the maximum age the writer has given up
 * (STORE_DEADLINE_MS) and the job is dropped.
 */
async function awaitMessage(deps: DeliverDeps, job: DeliveryJob, age: number): Promise<DeliverOutcome> {
  if (age >= (deps.unstoredJobMaxAgeMs ?? UNSTORED_JOB_MAX_AGE_MS)) {
    deps.log.warn('job dropped: its message was never stored', { messageId: job.messageId, tenant: job.tenant, ageMs: age });
    return 'dropped';
  }
  const delay = Math.min(deps.maxDelaySeconds, unstoredJobDelaySeconds(age));
  deps.log.debug('message not stored yet; job back later', { messageId: job.messageId, ageMs: age, delaySeconds: delay });
  await deps.queue.enqueue([job], delay);
  return 'postponed';
}

/**
 * Waits until the relay's allowance for this second covers the job's recipients; false when
 * that would take longer than maxPaceWaitMs (nothing is taken then).
 */
async function pace(deps: DeliverDeps, job: DeliveryJob, recipients: number): Promise<boolean> {
  if (!deps.pacer || recipients === 0) return true;
  return deps.pacer.acquire(job.lane === 'bulk' ? 'bulk' : 'transactional', recipients, deps.maxPaceWaitMs ?? 5000);
}

/**
 * Runs the claimed attempt. False when the relay had no room within the pacing wait: then
 * nothing was sent and the claim was given back.
 */
async function attempt(
  deps: DeliverDeps,
  stored: StoredMessage,
  job: DeliveryJob,
  now: number,
  leaseUntil: number,
  takeover: boolean,
): Promise<boolean> {
  const { message } = stored;
  const attemptNo = job.attempt;
  const at = new Date(now).toISOString();
  const pending = stored.recipients.filter((r) => isPending(r.status));
  // Taking over from a worker that was lost: what the relay answered it is recorded already
  // for the recipients whose events it wrote, and they are not relayed to a second time.
  const answered = takeover ? await answersRecorded(deps, message.id, attemptNo) : new Map<string, RecordedAnswer>();
  // (A hard bounce it recorded may have suppressed its address since: the answer stands.)
  const unanswered = pending.filter((r) => !answered.has(r.email));
  // An address suppressed after the message was accepted is not mailed either.
  const suppressed = unanswered.length
    ? await deps.suppressions.findMany(
        message.tenant,
        unanswered.map((r) => r.email),
      )
    : new Map<string, Suppression>();
  // Nor is a list's mail sent to someone who left the list (or all marketing mail) meanwhile.
  const unsubscribed =
    unanswered.length && message.list
      ? await deps.unsubscribes.findMany(
          message.tenant,
          message.list,
          unanswered.map((r) => r.email),
        )
      : new Map<string, Unsubscribe>();
  const targets = unanswered.filter((r) => !suppressed.has(r.email) && !unsubscribed.has(r.email));

  // Paced right before the relay, so that the time between taking the relay's allowance and
  // using it is as short as it can be.
  const memory = await holdMemory(deps, stored, targets.length);
  if (!memory || !(await pace(deps, job, targets.length))) {
    memory?.();
    await deps.messages.release(message.id, attemptNo, leaseUntil);
    return false;
  }

  const results = new Map<string, RecipientResult>();
  let relayName = 'none';
  for (const [email, recorded] of answered) {
    results.set(email, { email, ...recorded.answer });
    relayName = recorded.relay;
  }
  const timing: AttemptTiming = { acceptToSentMs: 0 };
  if (targets.length) {
    const result = await relayHolding(memory, async () => {
      const mail: OutgoingMail = {
        id: message.id,
        tenant: message.tenant,
        messageIdHeader: message.messageIdHeader,
        date: new Date(dueAt(message)),
        envelope: { from: message.envelopeFrom, to: targets.map((r) => r.email) },
        content: message.content,
        tags: message.tags,
        ...(message.raw && { raw: await rawBytes(deps, message.id, message.raw.key) }),
        ...(message.content.attachments && { attachments: await loadAttachments(deps.attachments, message) }),
      };
      const asked = deps.clock.now().getTime();
      const answer = await deps.relay.send(mail);
      const answeredAt = deps.clock.now().getTime();
      timing.answerMs = answeredAt - asked;
      timing.acceptToSentMs = answeredAt - dueAt(message);
      return answer;
    });
    relayName = result.relay;
    for (const r of result.recipients) results.set(r.email, r);
  }

  const updated: RecipientRecord[] = [];
  const events: MailEvent[] = [];
  const suppressions: Suppression[] = [];
  let retryAt: number | undefined;
  for (const recipient of pending) {
    if (suppressed.has(recipient.email)) {
      updated.push({ ...recipient, status: 'rejected', updatedAt: at });
      events.push(
        event(stored, recipient.email, 'rejected', attemptNo, at, { reason: `suppressed (${suppressed.get(recipient.email)?.reason})` }),
      );
      continue;
    }
    if (unsubscribed.has(recipient.email)) {
      updated.push({ ...recipient, status: 'rejected', updatedAt: at });
      events.push(event(stored, recipient.email, 'rejected', attemptNo, at, { reason: 'unsubscribed' }));
      continue;
    }
    const result = results.get(recipient.email) ?? { email: recipient.email, response: 'the relay gave no answer for this recipient' };
    const answer = {
      ...(result.code !== undefined && { code: result.code }),
      ...(result.enhanced && { enhanced: result.enhanced }),
      response: result.response,
    };
    const base = { ...recipient, attempts: recipient.attempts + 1, lastAnswer: answer, updatedAt: at };
    const outcome = classifyAnswer(answer);
    if (outcome.kind === 'sent') {
      updated.push({ ...base, status: 'sent' });
      events.push(event(stored, recipient.email, 'sent', attemptNo, at, { relay: relayName, answer }));
      continue;
    }
    // Bounces and deferrals say what kind of failure it was, in words, beside the raw reply.
    const { category, explanation, diagnostic } = classifySmtpFailure(answer);
    const failure = { category, explanation, diagnostic };
    if (outcome.kind === 'bounced') {
      updated.push({ ...base, status: 'bounced' });
      events.push(
        event(stored, recipient.email, 'bounced', attemptNo, at, { relay: relayName, answer, bounceType: outcome.bounceType, ...failure }),
      );
      if (outcome.suppress) {
        suppressions.push({
          tenant: message.tenant,
          email: recipient.email,
          reason: 'hard_bounce',
          sourceMessageId: message.id,
          detail: answer.response.slice(0, 1000),
          createdAt: at,
        });
      }
    } else {
      const next = nextRetryAt(deps.retry, attemptNo, dueAt(message), now);
      if (next === undefined) {
        updated.push({ ...base, status: 'bounced' });
        events.push(
          event(stored, recipient.email, 'bounced', attemptNo, at, {
            relay: relayName,
            answer,
            bounceType: 'soft',
            reason: 'retry deadline passed',
            ...failure,
          }),
        );
      } else {
        retryAt = next;
        updated.push({ ...base, status: 'deferred' });
        events.push(
          event(stored, recipient.email, 'deferred', attemptNo, at, {
            relay: relayName,
            answer,
            retryAt: new Date(next).toISOString(),
            ...failure,
          }),
        );
      }
    }
  }

  const statuses = stored.recipients.map((r) => updated.find((u) => u.email === r.email)?.status ?? r.status);
  // The write that ends the attempt carries its `sent` events (carried-events.ts), but for those
  // the worker it was taken over from stored already. When that write fails, they are stored as
  // events at once, so that a worker taking the attempt over finds every answer; the write is
  // then tried again without them.
  const carried = new Set(events.filter((e) => e.type === 'sent' && !answered.has(e.recipient)).map((e) => e.recipient));
  const record = withCarriedSent(updated, carried, { at, attempt: attemptNo, relay: relayName });
  const status = overallStatus(statuses);
  let carrying = carried.size > 0;
  // Every write here is idempotent, so the whole record is simply written again.
  await whileLeased(deps, now, async () => {
    // Only the lease holder writes this attempt's events, and it holds the lease for longer than it
    // may run; a worker taking over may find the events of the one before, which stand.
    await deps.events.append(carrying ? events.filter((e) => e.type !== 'sent' || !carried.has(e.recipient)) : events, {
      fresh: !takeover,
    });
    for (const entry of suppressions) await deps.suppressions.put(entry);
    for (const soft of events.filter((e) => e.type === 'bounced' && e.detail.bounceType === 'soft')) await suppressAfter(deps, soft);
    try {
      await deps.messages.complete(message.id, attemptNo, carrying ? record : updated, status, at);
    } catch (error) {
      // Written again without them, the record is idempotent; a first write that carried them
      // may have been made all the same, and then its sent events, stored too, would count twice.
      if (!carrying) throw error;
      carrying = false;
      if (await attemptEnded(deps, message.id, attemptNo)) return;
      await deps.events.append(
        events.filter((e) => e.type === 'sent'),
        { fresh: !takeover },
      );
      throw error;
    }
  });
  // Once recorded: an attempt whose record failed is taken over, and counted, by the job's next delivery.
  countAttempt(deps.metrics, relayName, events, timing);
  if (retryAt !== undefined) {
    const waiting = updated.filter((r) => r.status === 'deferred').length;
    await scheduleRetry(deps, retryJob(stored, attemptNo + 1, retryAt, waiting), now);
  }
  deps.log.info('delivery attempt finished', {
    messageId: message.id,
    attempt: attemptNo,
    relay: relayName,
    sent: updated.filter((r) => r.status === 'sent').length,
    deferred: updated.filter((r) => r.status === 'deferred').length,
    bounced: updated.filter((r) => r.status === 'bounced').length,
  });
  return true;
}

/** `recipients` with the `sent` event carried (carried-events.ts) by those in `carried`, each of which was sent. */
function withCarriedSent(
  recipients: RecipientRecord[],
  carried: ReadonlySet<string>,
  sent: { at: string; attempt: number; relay: string },
): RecipientRecord[] {
  return recipients.map((r) =>
    carried.has(r.email) && r.lastAnswer ? { ...r, carries: { ...r.carries, sent: { ...sent, answer: r.lastAnswer } } } : r,
  );
}

/** Whether attempt `attemptNo` of the message has been ended (its record written), as read now. */
async function attemptEnded(deps: DeliverDeps, messageId: string, attemptNo: number): Promise<boolean> {
  const stored = await deps.messages.get(messageId);
  return stored !== undefined && stored.message.attempts === attemptNo && stored.message.leaseUntil === undefined;
}

interface RecordedAnswer {
  answer: RelayAnswer;
  relay: string;
}

/**
 * The relay's answers that attempt `attemptNo` of a message recorded as events (sent, bounced,
 * deferred), by recipient. Events are the first write after the relay answers, so a worker lost
 * (or throttled past its lease) after writing them has left its attempt's outcome here. A `sent`
 * answer is stored here only once the write that ends the attempt has failed: until then that
 * write carries it, and an attempt it ended is never taken over.
 */
async function answersRecorded(deps: DeliverDeps, messageId: string, attemptNo: number): Promise<Map<string, RecordedAnswer>> {
  const answered = new Map<string, RecordedAnswer>();
  for (const e of await deps.events.list(messageId)) {
    if (e.attempt !== attemptNo || !e.detail.answer || !['sent', 'bounced', 'deferred'].includes(e.type)) continue;
    answered.set(e.recipient, { answer: e.detail.answer, relay: e.detail.relay ?? 'none' });
  }
  if (answered.size)
    deps.log.info('attempt taken over: answers already recorded are kept', { messageId, attempt: attemptNo, recipients: answered.size });
  return answered;
}

/** Room in the attachment memory for a message's files, when it has some to send; undefined when there was none in time. */
async function holdMemory(deps: DeliverDeps, stored: StoredMessage, targets: number): Promise<(() => void) | undefined> {
  const bytes = (stored.message.content.attachments ?? []).reduce((sum, attachment) => sum + attachment.size, 0);
  if (!deps.attachmentMemory || targets === 0 || bytes === 0) return () => undefined;
  return deps.attachmentMemory.take(bytes, deps.maxPaceWaitMs ?? 5000);
}

/** Runs `send`, then gives the memory it held back, whatever the outcome. */
async function relayHolding<T>(memory: () => void, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } finally {
    memory();
  }
}

/**
 * The stored bytes of a message submitted over SMTP. A store that fails throws (the job comes
 * back later); an object that is gone can never be sent (PoisonMessageError).
 */
async function rawBytes(deps: DeliverDeps, messageId: string, key: string): Promise<Buffer> {
  if (!deps.rawMessages)
    throw new PoisonMessageError(`message ${messageId} was submitted over SMTP, but no raw message store is configured`);
  const raw = await deps.rawMessages.get(key);
  if (!raw) throw new PoisonMessageError(`message ${messageId} cannot be sent: its stored bytes are gone`);
  return raw;
}

/**
 * When the message was due to go out (epoch ms): its acceptance, or its `send_at`. The `Date`
 * header says so, and the retry deadline counts from it, so that a message scheduled days
 * ahead is not past its deadline at its first attempt.
 */
function dueAt(message: StoredMessage['message']): number {
  return Date.parse(message.sendAt ?? message.createdAt);
}

/** Tries of {@link whileLeased}, however the clock moves. */
const RECORD_TRIES = 10;

/**
 * Runs `write`, and again after a failure (pausing 0.1 s, 0.2 s… at most 2 s), until
 * three quarters of the lease taken at `claimedAt` are gone: then the failure is thrown.
 */
async function whileLeased(
  deps: Pick<DeliverDeps, 'clock' | 'leaseMs' | 'log'>,
  claimedAt: number,
  write: () => Promise<void>,
): Promise<void> {
  const until = claimedAt + (deps.leaseMs * 3) / 4;
  for (let tries = 1, pause = 100; ; tries++, pause = Math.min(2 * pause, 2000)) {
    try {
      return await write();
    } catch (error) {
      if (tries >= RECORD_TRIES || deps.clock.now().getTime() + pause >= until) throw error;
      deps.log.warn('recording a delivery attempt failed; trying again', { error: String(error), tries });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** The job of a later attempt, on the message's lane, for its recipients still waiting. */
function retryJob(stored: StoredMessage, attemptNo: number, retryAt: number, recipients: number): DeliveryJob {
  const { message } = stored;
  return {
    v: 1,
    messageId: message.id,
    tenant: message.tenant,
    attempt: attemptNo,
    notBefore: retryAt,
    recipients: Math.max(1, recipients),
    ...(message.campaign && { lane: 'bulk' as const }),
  };
}

async function scheduleRetry(deps: DeliverDeps, job: DeliveryJob, now: number): Promise<void> {
  const delay = Math.max(0, Math.min(deps.maxDelaySeconds, Math.ceil(((job.notBefore ?? now) - now) / 1000)));
  await deps.queue.enqueue([job], delay);
}

/** A job seen again after its attempt finished: if recipients still wait, make sure a retry is queued. */
async function resumeRetry(deps: DeliverDeps, job: DeliveryJob, now: number): Promise<void> {
  const stored = await deps.messages.get(job.messageId);
  if (!stored || stored.message.attempts !== job.attempt || stored.message.leaseUntil !== undefined) return;
  const waiting = stored.recipients.filter((r) => r.status === 'deferred').length;
  if (waiting === 0) return;
  await scheduleRetry(deps, retryJob(stored, job.attempt + 1, now + backoffSeconds(deps.retry, job.attempt) * 1000, waiting), now);
}

/** Marks a message that cannot be processed `failed` and moves its job to the DLQ. */
export async function failMessage(
  deps: Pick<DeliverDeps, 'messages' | 'events' | 'queue' | 'clock' | 'log'>,
  job: DeliveryJob | string,
  reason: string,
): Promise<void> {
  if (typeof job !== 'string') {
    const at = deps.clock.now().toISOString();
    const before = await deps.messages.get(job.messageId);
    const stored = await deps.messages.markFailed(job.messageId, at);
    if (stored && before) {
      const failed = before.recipients.filter((r) => isPending(r.status));
      await deps.events.append(failed.map((r) => event(stored, r.email, 'failed', job.attempt, at, { reason })));
    }
  }
  await deps.queue.deadLetter(job, reason);
  deps.log.error('message failed', { messageId: typeof job === 'string' ? undefined : job.messageId, reason });
}
