/** Classification of relay answers into delivery outcomes. */
import { classifySmtpFailure, suppressesAddress } from './bounce-classification.ts';
import type { RelayAnswer } from './message.ts';

export { enhancedStatus } from './bounce-classification.ts';

/** What an answer means for one recipient. */
export type Outcome = { kind: 'sent' } | { kind: 'deferred' } | { kind: 'bounced'; bounceType: 'hard' | 'soft'; suppress: boolean };

/**
 * Classifies an answer. 2xx: sent. 4xx or no code (connection failure): deferred. 5xx: a
 * bounce, hard or soft and suppressing or not as classifySmtpFailure decides: only a hard
 * bounce that blames the address (no such mailbox, no such domain) suppresses it — not one
 * that blames the sender's address (5.1.7, 5.1.8), the content, the size, a policy or spam
 * filter, or a full mailbox (5.2.2, a soft bounce: it clears by itself).
 */
export function classifyAnswer(answer: RelayAnswer): Outcome {
  const code = answer.code;
  if (code === undefined || code < 200 || code >= 600) return { kind: 'deferred' };
  if (code < 400) return { kind: 'sent' };
  if (code < 500) return { kind: 'deferred' };
  const failure = classifySmtpFailure(answer);
  return { kind: 'bounced', bounceType: failure.type, suppress: suppressesAddress(failure) };
}
