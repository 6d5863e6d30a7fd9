/**
 * Turns nodemailer's outcome of one SMTP transaction into an answer per envelope recipient.
 * Only an SMTP reply to the envelope or to DATA speaks about recipients; every other failure
 * (connection, TLS, authentication, protocol) says nothing about them and becomes an answer
 * without a code, which the domain treats as a deferral.
 */
import type { NodemailerError } from 'nodemailer';
import { PoisonMessageError } from '../../domain/errors.ts';
import type { RelayAnswer } from '../../domain/message.ts';
import { enhancedStatus } from '../../domain/smtp-reply.ts';
import type { RecipientResult } from '../../ports/mail-relay.ts';

/** What nodemailer resolves with when the server accepted DATA. */
export interface SmtpSendInfo {
  accepted: string[];
  rejected: string[];
  rejectedErrors?: NodemailerError[] | undefined;
  response: string;
}

/** Removes a secret (the relay password) from a text before it is stored anywhere. */
export type Scrub = (text: string) => string;

const keep: Scrub = (text) => text;

/** An SMTP reply line (`550 5.1.1 <x@y>: no such user`) as an answer. */
export function replyAnswer(response: string, scrub: Scrub = keep): RelayAnswer {
  const text = scrub(response.trim());
  const code = /^([2-5]\d\d)\b/.exec(text)?.[1];
  const enhanced = enhancedStatus(text);
  return {
    ...(code ? { code: Number(code) } : {}),
    ...(enhanced ? { enhanced } : {}),
    response: text,
  };
}

// Addresses are compared without case: nodemailer hands back the address it sent in RCPT TO,
// and only the domain may have changed case on the way (the local part is passed through).
const key = (address: string) => address.toLowerCase();

function byRecipient(errors: NodemailerError[] | undefined): Map<string, NodemailerError> {
  const map = new Map<string, NodemailerError>();
  for (const error of errors ?? []) if (error.recipient) map.set(key(error.recipient), error);
  return map;
}

function errorText(error: NodemailerError): string {
  return error.response ?? error.message;
}

/** Answers when the server took the message: accepted recipients get the final reply. */
export function answersFromInfo(recipients: string[], info: SmtpSendInfo, scrub: Scrub = keep): RecipientResult[] {
  const rejected = byRecipient(info.rejectedErrors);
  const accepted = new Set(info.accepted.map(key));
  return recipients.map((email) => {
    const refusal = rejected.get(key(email));
    if (refusal) return { email, ...replyAnswer(errorText(refusal), scrub) };
    if (accepted.has(key(email))) {
      const answer = replyAnswer(info.response, scrub);
      // A 2xx without a readable code is still an acceptance.
      return { email, ...answer, code: answer.code ?? 250 };
    }
    // Neither accepted nor refused by name: claim nothing, so that it is retried.
    return { email, response: 'the relay did not answer for this recipient' };
  });
}

/**
 * Answers when nodemailer failed the send.
 *
 * - EENVELOPE after RCPT TO (every recipient refused): each recipient from its own entry of
 *   `rejectedErrors` — the error's own `responseCode` is only one of them.
 * - EENVELOPE after MAIL FROM or DATA, EMESSAGE after the message: every recipient gets that
 *   reply (RCPT refusals seen before a refused DATA are not handed back by nodemailer).
 * - EMESSAGE for a message above the server's advertised SIZE: nodemailer refuses locally
 *   without a reply; answered as the server would (552 5.3.4), a bounce that suppresses no one.
 * - anything else (ECONNECTION, ETIMEDOUT, ESOCKET, EDNS, ETLS, EAUTH, EPROTOCOL…): no code.
 *
 * @throws PoisonMessageError when nodemailer refuses the envelope itself (an invalid address):
 *   the same message would be refused on every attempt.
 */
export function answersFromError(recipients: string[], error: unknown, scrub: Scrub = keep): RecipientResult[] {
  const failure = error as NodemailerError;
  const code = failure?.code;
  if ((code === 'EENVELOPE' || code === 'EMESSAGE') && failure.command === 'API') {
    throw new PoisonMessageError(`the relay refused the message before sending: ${scrub(failure.message)}`, { cause: error });
  }
  if (code === 'EENVELOPE' && failure.rejectedErrors?.length) {
    const rejected = byRecipient(failure.rejectedErrors);
    return recipients.map((email) => ({ email, ...replyAnswer(errorText(rejected.get(key(email)) ?? failure), scrub) }));
  }
  if ((code === 'EENVELOPE' || code === 'EMESSAGE') && failure.responseCode) {
    const answer = replyAnswer(errorText(failure), scrub);
    return recipients.map((email) => ({ email, ...answer }));
  }
  if (code === 'EMESSAGE' && failure.command === 'MAIL FROM') {
    const response = `552 5.3.4 ${scrub(failure.message)}`;
    return recipients.map((email) => ({ email, code: 552, enhanced: '5.3.4', response }));
  }
  const text = failure instanceof Error ? failure.message : String(error);
  const response = scrub(code && !text.includes(code) ? `${code}: ${text}` : text);
  return recipients.map((email) => ({ email, response }));
}
