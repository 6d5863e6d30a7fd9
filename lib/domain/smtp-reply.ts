/** Classification of relay answers into delivery outcomes. */
import type { RelayAnswer } from './message.ts';

/** What an answer means for one recipient. */
export type Outcome =
  | { kind: 'sent' }
  | { kind: 'deferred' }
  | { kind: 'bounced'; bounceType: 'hard'; suppress: boolean };

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** Extracts an RFC 3463 enhanced status code (`5.1.1`) from an SMTP response text. */
export function enhancedStatus(response: string): string | undefined {
  return ENHANCED.exec(response)?.[0];
}

/**
 * Classifies an answer. 2xx: sent. 4xx or no code (connection failure): deferred. 5xx: a
 * hard bounce, which suppresses the address unless the enhanced code blames the message,
 * the sender or the relay rather than the mailbox (classes 5.3.x system, 5.5.x protocol,
 * 5.6.x content, 5.7.x policy).
 */
export function classifyAnswer(answer: RelayAnswer): Outcome {
  const code = answer.code;
  if (code === undefined || code < 200 || code >= 600) return { kind: 'deferred' };
  if (code < 400) return { kind: 'sent' };
  if (code < 500) return { kind: 'deferred' };
  const enhanced = answer.enhanced ?? enhancedStatus(answer.response);
  const subject = enhanced?.split('.')[1];
  const blamesMailbox = subject === undefined || subject === '1' || subject === '2';
  return { kind: 'bounced', bounceType: 'hard', suppress: blamesMailbox };
}
