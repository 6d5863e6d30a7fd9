/**
 * Classification of delivery failures: hard or soft, a category people understand, and a
 * one-line explanation, from an SMTP reply (code, RFC 3463 enhanced status, text) or from
 * Amazon SES's bounce type and sub-type. The raw diagnostic is kept beside it.
 */
import { EXPLANATIONS, RATE_TEXT, matchBounceRule } from './bounce-patterns.ts';
import type { RelayAnswer } from './message.ts';

/** What kind of failure a bounce or deferral was, in terms a sender can act on. */
export const BOUNCE_CATEGORIES = [
  'no_such_mailbox',
  'mailbox_full',
  'domain_not_found',
  'blocked_as_spam',
  'policy',
  'message_too_large',
  'rate_limited',
  'relay_unreachable',
  'other',
] as const;
export type BounceCategory = (typeof BOUNCE_CATEGORIES)[number];

/** A failure read for people: permanence, category, explanation, and the raw diagnostic. */
export interface BounceClassification {
  /** Hard: sending again will fail the same way; soft: it may go through later. */
  type: 'hard' | 'soft';
  category: BounceCategory;
  /** One line, for people. */
  explanation: string;
  /** The diagnostic as the relay gave it. */
  diagnostic: string;
}

/**
 * Categories whose hard bounces suppress the address: only these say that the address
 * itself cannot receive mail. The others blame the content, the sender, the relay or a
 * passing condition, and suppressing the address would lose a good recipient.
 */
export const SUPPRESSING_CATEGORIES: ReadonlySet<BounceCategory> = new Set(['no_such_mailbox', 'domain_not_found']);

/** Whether a classified failure suppresses the address for the tenant. */
export function suppressesAddress(classification: Pick<BounceClassification, 'type' | 'category'>): boolean {
  return classification.type === 'hard' && SUPPRESSING_CATEGORIES.has(classification.category);
}

// Not inside a longer dotted number: IP addresses ("4.16.55.1") and "15.1.1" are no codes.
const ENHANCED = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?!\.?\d)/;

/** Extracts an RFC 3463 enhanced status code (`5.1.1`) from an SMTP response text. */
export function enhancedStatus(response: string): string | undefined {
  return ENHANCED.exec(response)?.[0];
}

/**
 * Reads an SMTP reply out of a DSN diagnostic (`smtp; 550 5.1.1 user unknown`,
 * `X-Postfix; unknown user`) or a bare reply line. The text is kept as given.
 */
export function answerFromDiagnostic(diagnostic: string): RelayAnswer {
  const reply = diagnostic.trim().replace(/^[A-Za-z][\w.-]*;\s*/, '');
  const code = /^([245]\d\d)(?=[\s-]|$)/.exec(reply)?.[1];
  const enhanced = enhancedStatus(reply);
  return { ...(code ? { code: Number(code) } : {}), ...(enhanced ? { enhanced } : {}), response: diagnostic };
}

/** Category and explanation from the table, or from the basic reply code when nothing matched. */
function categorize(answer: RelayAnswer): { category: BounceCategory; explanation: string } {
  const found = matchBounceRule(answer.response, answer.enhanced ?? enhancedStatus(answer.response));
  if (found) return found;
  // 421: the server is closing the channel, i.e. not taking mail from us at the moment.
  const category: BounceCategory = answer.code === 421 ? 'relay_unreachable' : 'other';
  return { category, explanation: EXPLANATIONS[category] };
}

/**
 * Hard or soft follows the reply code (5xx is permanent), except for a full mailbox: it is
 * soft even with a 5xx (552 5.2.2), because it clears by itself when the owner makes room,
 * and mailbox providers and SES (`Transient`/`MailboxFull`) treat it that way.
 */
function typeOf(code: number | undefined, category: BounceCategory): 'hard' | 'soft' {
  if (category === 'mailbox_full') return 'soft';
  return code !== undefined && code >= 500 && code < 600 ? 'hard' : 'soft';
}

/** Classifies a failed SMTP answer (4xx, 5xx, or no code for a connection failure). */
export function classifySmtpFailure(answer: RelayAnswer): BounceClassification {
  if (answer.code === undefined) {
    // No reply: the relay (SMTP server or SES API) was not reached, refused our login, or
    // throttled us; only the throttling is told apart, the receiving side never answered.
    const throttled = RATE_TEXT.test(answer.response);
    const category: BounceCategory = throttled ? 'rate_limited' : 'relay_unreachable';
    return { type: 'soft', category, explanation: EXPLANATIONS[category], diagnostic: answer.response };
  }
  const { category, explanation } = categorize(answer);
  return { type: typeOf(answer.code, category), category, explanation, diagnostic: answer.response };
}

/**
 * Classifies a failure a delivery status notification reported (RFC 3464): its `Status` (an
 * RFC 3463 code) decides permanence, as the DSN's own verdict after the reporting server's
 * retries; the category comes from the `Diagnostic-Code` and the status, as for a relay's reply.
 */
export function classifyDsnFailure(status: string | undefined, diagnostic: string | undefined): BounceClassification {
  const valid = status && /^[245]\.\d{1,3}\.\d{1,3}$/.test(status) ? status : undefined;
  const reply = diagnostic?.trim() ? answerFromDiagnostic(diagnostic) : { response: valid ? `Status: ${valid}` : 'no diagnostic given' };
  const answer: RelayAnswer = { ...reply, ...(valid && { enhanced: valid }) };
  const { category, explanation } = categorize(answer);
  const permanent = valid ? valid.startsWith('5') : answer.code !== undefined && answer.code >= 500;
  const type = category === 'mailbox_full' || !permanent ? 'soft' : 'hard';
  return { type, category, explanation, diagnostic: answer.response };
}

/** What each SES bounce sub-type means, per AWS's "Amazon SNS notification contents" page. */
const SES_SUBTYPES: Record<string, { category: BounceCategory; explanation: string } | undefined> = {
  noemail: { category: 'no_such_mailbox', explanation: EXPLANATIONS.no_such_mailbox },
  // SES's global list holds addresses with a recent history of hard bounces.
  suppressed: {
    category: 'no_such_mailbox',
    explanation: "Amazon SES did not send it: the address is on SES's suppression list after recent hard bounces.",
  },
  // The account-level list may hold an address for a complaint as well as for a bounce.
  onaccountsuppressionlist: {
    category: 'policy',
    explanation: "Amazon SES did not send it: the address is on the AWS account's suppression list.",
  },
  mailboxfull: { category: 'mailbox_full', explanation: EXPLANATIONS.mailbox_full },
  messagetoolarge: { category: 'message_too_large', explanation: EXPLANATIONS.message_too_large },
  contentrejected: { category: 'policy', explanation: "The recipient's provider does not accept the message's content." },
  attachmentrejected: { category: 'policy', explanation: "The recipient's provider does not accept one of the attachments." },
};

// `General` and `Undetermined` say nothing beyond the bounce type.
const SES_GENERAL: Record<'hard' | 'soft' | 'unknown', string> = {
  hard: "The recipient's provider reported a permanent failure without saying why.",
  // AWS: automatic replies such as out-of-office notices also arrive as Transient/General.
  soft: "The recipient's provider reported a temporary failure (automatic replies such as out-of-office notices look the same).",
  unknown: "The recipient's provider sent a bounce that does not say why.",
};

/** Classifies an Amazon SES bounce notification (`bounceType`, `bounceSubType`, per-recipient `diagnosticCode`). */
export function classifySesBounce(bounceType: string, bounceSubType: string, diagnosticCode?: string): BounceClassification {
  const kind = bounceType.toLowerCase();
  const specific = SES_SUBTYPES[bounceSubType.toLowerCase()];
  const reply = diagnosticCode?.trim() ? answerFromDiagnostic(diagnosticCode) : undefined;
  const fromReply = reply ? categorize(reply) : undefined;
  const refined = fromReply && fromReply.category !== 'other' ? fromReply : undefined;

  let category: BounceCategory;
  let explanation: string;
  if (specific) {
    // A specific sub-type is SES's own reading of the bounce; the diagnostic only sharpens
    // "no such mailbox" into "no such domain".
    const sharper = specific.category === 'no_such_mailbox' && refined?.category === 'domain_not_found';
    ({ category, explanation } = sharper && refined ? refined : specific);
  } else if (refined) {
    ({ category, explanation } = refined);
  } else {
    category = 'other';
    explanation = SES_GENERAL[kind === 'permanent' ? 'hard' : kind === 'transient' ? 'soft' : 'unknown'];
  }

  // SES decides permanence after its own retries; an Undetermined bounce takes it from the
  // diagnostic's reply code when there is one, and is soft otherwise (nothing proves the address bad).
  const declared =
    kind === 'permanent' ? 'hard' : kind === 'transient' ? 'soft' : reply?.code !== undefined && reply.code >= 500 ? 'hard' : 'soft';
  const type = category === 'mailbox_full' ? 'soft' : declared;
  return { type, category, explanation, diagnostic: diagnosticCode ?? `${bounceType}/${bounceSubType}` };
}
