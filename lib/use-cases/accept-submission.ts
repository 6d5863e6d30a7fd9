/**
 * Accepting mail submitted over SMTP. The sender and each recipient are checked as the
 * client names them (MAIL FROM, RCPT TO); at the end of DATA the message is stored as
 * submitted (with only the header lines mailroom adds prepended), its delivery job queued and
 * its records written — and the client is told 250 exactly when the record is stored, which
 * is what makes it deliver.
 */
import { domainOf, formatMailbox, hasControlCharacter, type Mailbox } from '../domain/address.ts';
import { RateLimitedError, ServiceUnavailableError, UnprocessableError } from '../domain/errors.ts';
import { MAILROOM_ID_HEADER } from '../domain/message.ts';
import type { EnvelopeRecipient, SendRequest } from '../domain/send-request.ts';
import type { RateLimiter } from '../ports/rate-limiter.ts';
import { rawMessageKey, type RawMessageStore } from '../ports/raw-message-store.ts';
import type { SenderPolicy } from '../ports/sender-policy.ts';
import type { SendingGate } from '../ports/sending-gate.ts';
import { persist, prepare, type AcceptDeps } from './accept-message.ts';
import { countRefused } from './acceptance-metrics.ts';

/** What accepting a submission needs beyond accepting an API send. */
export interface SubmissionDeps extends AcceptDeps {
  rawMessages: RawMessageStore;
  /** Refuses senders whose domain the tenant has not verified; absent: any sender. */
  senders?: SenderPolicy;
  /** Refuses tenants whose sending is paused; absent: never paused. */
  gate?: SendingGate;
  /** The tenant's allowance of messages per second (shared with the API); absent or 0: no limit. */
  rateLimiter?: RateLimiter;
}

/** The header fields of a submitted message that mailroom records or must complete. */
export interface SubmittedHeaders {
  from: Mailbox[];
  to: Mailbox[];
  cc: Mailbox[];
  subject: string;
  /** The message's own `Message-ID`, angle brackets included; absent when it has none. */
  messageId?: string;
  hasDate: boolean;
}

/** A message at the end of DATA. Addresses are normalised. */
export interface Submission {
  tenant: string;
  envelopeFrom: string;
  /** RCPT TO addresses, unique. */
  recipients: string[];
  headers: SubmittedHeaders;
  /** The message as it is to be relayed (header block, then body), read once as it arrives. */
  content: AsyncIterable<Uint8Array>;
}

/** What the client is told on success. */
export interface SubmissionAccepted {
  id: string;
  messageIdHeader: string;
}

/**
 * Checks at MAIL FROM: the tenant may send (not paused), is within its rate, and has
 * verified the sender's domain.
 * @throws SendingPausedError, RateLimitedError, DomainNotVerifiedError
 */
export async function checkSender(
  deps: Pick<SubmissionDeps, 'gate' | 'rateLimiter' | 'senders' | 'log' | 'metrics'>,
  tenant: string,
  envelopeFrom: string,
): Promise<void> {
  try {
    await senderAllowed(deps, tenant, envelopeFrom);
  } catch (error) {
    throw countRefused(deps.metrics, error);
  }
}

/** checkSender's checks, before a refusal is counted. */
async function senderAllowed(
  deps: Pick<SubmissionDeps, 'gate' | 'rateLimiter' | 'senders' | 'log'>,
  tenant: string,
  envelopeFrom: string,
): Promise<void> {
  await deps.gate?.check(tenant);
  const limiter = deps.rateLimiter;
  if (limiter && limiter.limitPerSecond > 0) {
    let wait = 0;
    try {
      wait = await limiter.take(tenant);
    } catch (error) {
      // As in the API: a limiter that fails lets the message through.
      deps.log.warn('rate limiter unavailable; message let through', { error: String(error) });
    }
    if (wait > 0) throw new RateLimitedError(limiter.limitPerSecond, wait);
  }
  await deps.senders?.check(tenant, envelopeFrom);
}

/**
 * Checks at RCPT TO: a recipient on the tenant's suppression list is refused.
 * @throws UnprocessableError `recipient_suppressed`
 */
export async function checkRecipient(deps: Pick<SubmissionDeps, 'suppressions' | 'metrics'>, tenant: string, email: string): Promise<void> {
  const suppression = await deps.suppressions.get(tenant, email);
  if (suppression) {
    const refusal = new UnprocessableError('recipient_suppressed', `${email} is on the suppression list.`, {
      email,
      reason: suppression.reason,
    });
    throw countRefused(deps.metrics, refusal);
  }
}

/** RFC 5322 date, as nodemailer writes it. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT/, '+0000');
}

/** One header line; the values are mailroom's own, and no CR, LF or NUL may end up in them. */
function headerLine(name: string, value: string): string {
  if (hasControlCharacter(value)) throw new Error(`header ${name} would carry a control character`);
  return `${name}: ${value}\r\n`;
}

async function* prefixed(prefix: string, content: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield Buffer.from(prefix, 'utf8');
  yield* content;
}

/** The SendRequest that describes a submission in the records: headers for display, the envelope for delivery. */
function describe(submission: Submission): SendRequest {
  const { headers } = submission;
  const shown = new Set([...headers.to, ...headers.cc].map((m) => m.address));
  const recipients: EnvelopeRecipient[] = submission.recipients.map((email) => ({
    email,
    kind: headers.to.some((m) => m.address === email) ? 'to' : headers.cc.some((m) => m.address === email) ? 'cc' : 'bcc',
  }));
  return {
    content: {
      from: formatMailbox(headers.from[0]!),
      to: headers.to.map(formatMailbox),
      cc: headers.cc.map(formatMailbox),
      bcc: submission.recipients.filter((email) => !shown.has(email)),
      replyTo: [],
      subject: headers.subject,
      headers: {},
    },
    envelopeFrom: submission.envelopeFrom,
    recipients,
    tags: {},
    metadata: {},
  };
}

/**
 * Stores the message, queues its delivery and writes its records (persist: the job first, so
 * that a stored record always has one). The stored record is what commits the submission:
 * once it is written the message will be delivered, so the client is told 250 even if a write
 * after it failed (a 4xx would have it send a second copy). When the record is not stored
 * nothing will deliver it — its job finds no message and is dropped, the raw object is removed
 * — and the client hears 4xx and may safely send again.
 * @throws UnprocessableError (no From header, every recipient suppressed), DomainNotVerifiedError
 *   (From header domain), ServiceUnavailableError (storage or queue unavailable), or the
 *   content's own error (the client went away, the message grew too large).
 */
export async function acceptSubmission(deps: SubmissionDeps, submission: Submission): Promise<SubmissionAccepted> {
  try {
    return await submit(deps, submission);
  } catch (error) {
    throw countRefused(deps.metrics, error);
  }
}

/** acceptSubmission's work, before a refusal is counted. */
async function submit(deps: SubmissionDeps, submission: Submission): Promise<SubmissionAccepted> {
  const { tenant, headers } = submission;
  if (headers.from.length === 0) throw new UnprocessableError('invalid_message', 'The message has no valid From header.');
  // The From header is what recipients see (and what DMARC aligns on): its domains must be verified too.
  for (const domain of new Set(headers.from.map((m) => domainOf(m.address)))) {
    await deps.senders?.check(tenant, headers.from.find((m) => domainOf(m.address) === domain)!.address);
  }

  const id = deps.newId();
  const now = deps.clock.now();
  const messageIdHeader = headers.messageId ?? `<${id.toLowerCase()}@${domainOf(submission.envelopeFrom)}>`;
  let prefix = headerLine(MAILROOM_ID_HEADER, id);
  if (!headers.messageId) prefix += headerLine('Message-ID', messageIdHeader);
  if (!headers.hasDate) prefix += headerLine('Date', rfc5322Date(now));

  const key = rawMessageKey(id);
  const { bytes } = await deps.rawMessages.put(key, prefixed(prefix, submission.content));
  const discard = () =>
    deps.rawMessages.delete(key).catch((error) => deps.log.warn('raw message not removed', { messageId: id, error: String(error) }));

  let prepared;
  try {
    prepared = await prepare(deps, tenant, describe(submission), { id });
  } catch (error) {
    await discard();
    throw new ServiceUnavailableError(undefined, { cause: error });
  }
  if (!prepared.job) {
    await discard();
    throw new UnprocessableError('all_recipients_suppressed', 'Every recipient is on the suppression list; nothing was sent.');
  }
  prepared.stored.message.messageIdHeader = messageIdHeader;
  prepared.stored.message.raw = { key, bytes };
  try {
    await persist(deps, [prepared]);
  } catch (error) {
    const stored = await deps.messages.get(id).then(
      (found) => found !== undefined,
      () => undefined,
    );
    if (stored) {
      // Committed: its job is queued. The events are written again (the same ids: nothing twice).
      await deps.events.append(prepared.events).catch(() => undefined);
      deps.log.error('submission stored, but a write after its record failed', { messageId: id, tenant, error: String(error) });
    } else {
      // The client hears 4xx and sends again: this copy must never go out. Whether a record was
      // written is unknown when the read failed too: it is marked failed, and its bytes go.
      await Promise.allSettled([
        stored === undefined ? deps.messages.markFailed(id, deps.clock.now().toISOString()) : undefined,
        discard(),
      ]);
      deps.log.error('submission not queued', { messageId: id, tenant, error: String(error) });
      throw error instanceof ServiceUnavailableError ? error : new ServiceUnavailableError(undefined, { cause: error });
    }
  }
  deps.log.info('submission accepted', { messageId: id, tenant, recipients: submission.recipients.length, bytes });
  return { id, messageIdHeader };
}
