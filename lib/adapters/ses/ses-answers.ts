/**
 * What an SES `SendEmail` outcome means for each recipient. SES answers for the whole
 * message, so every recipient gets the same answer.
 */
import type { RelayAnswer } from '../../domain/message.ts';

/** Prefix of the answer text on success; the SES message id follows it. */
export const SES_ACCEPTED_PREFIX = 'SES message id ';

// Refusals that retrying the same message will not change. They blame the sender, the
// account or the content — never the mailbox — hence a 5.7.1 policy code: a bounce that
// suppresses no address (lib/domain/smtp-reply.ts, classifyAnswer).
const REFUSALS = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
]);

/** The answer for a message SES accepted. */
export function sesAccepted(messageId: string | undefined): RelayAnswer {
  return { code: 250, response: `${SES_ACCEPTED_PREFIX}${messageId ?? 'unknown'}` };
}

/** The SES message id inside an accepted answer's text, if it is one. */
export function sesMessageId(answer: RelayAnswer): string | undefined {
  return answer.response.startsWith(SES_ACCEPTED_PREFIX) ? answer.response.slice(SES_ACCEPTED_PREFIX.length) : undefined;
}

/**
 * The answer for a failed `SendEmail`. The refusals above become 554 5.7.1 with SES's text;
 * everything else — throttling (TooManyRequests), quotas (LimitExceeded), SES's own 5xx,
 * a missing configuration set, credentials and network failures — is answered without a
 * code, which defers the message: it may well go through later.
 */
export function sesFailure(error: unknown): RelayAnswer {
  const failure = error instanceof Error ? error : new Error(String(error));
  const text = `SES ${failure.name}: ${failure.message}`;
  if (REFUSALS.has(failure.name)) return { code: 554, enhanced: '5.7.1', response: `554 5.7.1 ${text}` };
  return { response: text };
}
