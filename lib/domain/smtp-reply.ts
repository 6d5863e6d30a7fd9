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
 * hard bounce, which suppresses the address only when the enhanced code blames the
 * recipient's address or mailbox (5.1.x, 5.2.x, or no enhanced code) — not the sender's
 * address (5.1.7, 5.1.8), a full mailbox (5.2.2, which clears by itself), the system
 * (5.3.x), the protocol (5.5.x), the content (5.6.x) or policy (5.7.x).
 */
export function classifyAnswer(answer: RelayAnswer): Outcome {
  const code = answer.code;
  if (code === undefined || code < 200 || code >= 600) return { kind: 'deferred' };
  if (code < 400) return { kind: 'sent' };
  if (code < 500) return { kind: 'deferred' };
  const enhanced = answer.enhanced ?? enhancedStatus(answer.response);
  const [, subject, detail] = enhanced?.split('.') ?? [];
  const sender = subject === '1' && (detail === '7' || detail === '8');
  const full = subject === '2' && detail === '2';
  const blamesMailbox = subject === undefined || ((subject === '1' || subject === '2') && !sender && !full);
  return { kind: 'bounced', bounceType: 'hard', suppress: blamesMailbox };
}
