/**
 * SMTP replies for what can go wrong in a submission. smtp-server sends `responseCode` and
 * the message; mailroom writes the enhanced status code (RFC 3463) at the head of the text.
 */
import { DomainNotVerifiedError, MailroomError, RateLimitedError, SendingPausedError, ServiceUnavailableError } from '../domain/errors.ts';
import type { Log } from '../ports/logger.ts';
import { MessageTooLargeError } from './data-feed.ts';

/** An error smtp-server answers with: `<responseCode> <message>`. */
export interface SmtpReplyError extends Error {
  responseCode: number;
}

/** An SMTP reply as an error; CR, LF and other control characters are replaced (one line only). */
export function smtpReply(code: number, enhanced: string, text: string): SmtpReplyError {
  const error = new Error(`${enhanced} ${text.replace(/[\u0000-\u001f\u007f]+/g, ' ')}`) as SmtpReplyError;
  error.responseCode = code;
  return error;
}

export const REPLIES = {
  authFailed: () => smtpReply(535, '5.7.8', 'Authentication credentials invalid'),
  authUnavailable: () => smtpReply(454, '4.7.0', 'Temporary authentication failure, try again later'),
  authMethod: () => smtpReply(504, '5.5.4', 'Use AUTH PLAIN or AUTH LOGIN'),
  badSender: () => smtpReply(553, '5.1.7', 'The sender address is not a valid email address'),
  asciiSender: () => smtpReply(553, '5.1.7', 'The sender address must be ASCII before the @ (SMTPUTF8 is not offered)'),
  smtpUtf8: () => smtpReply(555, '5.5.4', 'SMTPUTF8 is not offered: addresses must be ASCII before the @'),
  requireTls: () => smtpReply(555, '5.5.4', 'REQUIRETLS is not offered: mailroom cannot promise TLS for every onward hop'),
  badRecipient: () => smtpReply(553, '5.1.3', 'The recipient address is not a valid email address'),
  tooManyRecipients: (max: number) => smtpReply(452, '4.5.3', `Too many recipients: at most ${max} per message`),
  tooLarge: (max: number) => smtpReply(552, '5.3.4', `Message exceeds the maximum size of ${max} bytes`),
  notQueued: () => smtpReply(451, '4.3.0', 'Message not queued because of a temporary problem, try again later'),
} as const;

/** The reply for an error thrown by a submission check or by accepting the message; unexpected ones are logged. */
export function replyFor(error: unknown, log: Log, context: Record<string, unknown> = {}): SmtpReplyError {
  if (error instanceof MessageTooLargeError) return REPLIES.tooLarge(error.limitBytes);
  if (error instanceof DomainNotVerifiedError) return smtpReply(550, '5.7.1', `Sender domain ${error.domain} is not verified`);
  if (error instanceof SendingPausedError) {
    const reason = (error.details as { reason?: string } | undefined)?.reason ?? 'paused';
    return smtpReply(550, '5.7.1', `Sending is paused for this account (${reason}); an operator must resume it`);
  }
  if (error instanceof RateLimitedError) {
    return smtpReply(451, '4.7.1', `Rate limit of ${error.limitPerSecond} messages per second exceeded, try again later`);
  }
  if (error instanceof ServiceUnavailableError) return REPLIES.notQueued();
  if (error instanceof MailroomError) {
    switch (error.code) {
      case 'recipient_suppressed':
        return smtpReply(550, '5.7.1', `<${(error.details as { email: string }).email}> is on the suppression list`);
      case 'all_recipients_suppressed':
        return smtpReply(550, '5.7.1', 'Every recipient is on the suppression list; nothing was sent');
      case 'invalid_message':
        return smtpReply(550, '5.6.0', error.message.replace(/\.$/, ''));
    }
  }
  log.error('smtp submission failed', { ...context, error: String(error) });
  return REPLIES.notQueued();
}
