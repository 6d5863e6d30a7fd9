/**
 * The table behind bounce classification: which RFC 3463 enhanced status codes and which
 * reply wording point to which category. The first matching rule wins, so the order is the
 * policy: a few codes that mean one thing only, then wording (receivers reuse generic codes
 * such as 5.7.1 or 5.4.1 for very different refusals, while their words are specific), then
 * the remaining codes. The basic reply code is the last resort (see bounce-classification.ts).
 */
import type { BounceCategory } from './bounce-classification.ts';

/** One row of the table: a text pattern or an enhanced-code pattern, and what it means. */
export interface BounceRule {
  /** Short name, for tests and debugging. */
  name: string;
  category: BounceCategory;
  /** One line, for people who are not mail experts. */
  explanation: string;
  /** Tested against the reply text, whitespace collapsed. */
  text?: RegExp;
  /** Tested against the enhanced status code, e.g. `5.1.1`. */
  enhanced?: RegExp;
}

/** The default one-line explanation of each category. */
export const EXPLANATIONS: Record<BounceCategory, string> = {
  no_such_mailbox: 'The address does not exist (or its mailbox is disabled) at the receiving domain.',
  mailbox_full: "The recipient's mailbox is full; mail can get through once they make room.",
  domain_not_found: "The recipient's domain does not exist or does not receive email.",
  blocked_as_spam: 'The receiving server blocked the message as spam or because the sender is on a block list.',
  policy: 'The receiving server refused the message because of one of its rules.',
  message_too_large: 'The message is larger than the receiving server accepts.',
  rate_limited: 'The receiving server is limiting how much mail it takes right now; a later try may get through.',
  relay_unreachable: 'The mail server could not be reached or is not accepting connections right now.',
  other: 'The receiving server refused the message; its reply gives the details.',
};

const AUTH = "The receiving server could not verify that the message really comes from the sender's domain (SPF, DKIM or DMARC).";
const DNS = "The receiving server refused the sending server's DNS setup (for example a missing reverse-DNS name).";
const SENDER = "The receiving server refused the sender's address or domain.";
const GREYLIST = 'The receiving server asks unknown senders to try again later (greylisting); a retry normally gets through.';
const DISABLED = 'The mailbox is disabled or no longer in use at the receiving domain.';
const NULL_MX = "The recipient's domain states that it accepts no email (null MX).";

const rule = (
  name: string,
  category: BounceCategory,
  match: { text?: RegExp; enhanced?: RegExp },
  explanation = EXPLANATIONS[category],
): BounceRule => ({
  name,
  category,
  explanation,
  ...match,
});

/** One case-insensitive pattern that matches any of the alternatives, so that long lists of wording read one per line. */
const anyOf = (...alternatives: RegExp[]): RegExp => new RegExp(alternatives.map((alternative) => alternative.source).join('|'), 'i');

/** Wording of throttling, from a receiving server or from the relay itself (SES's TooManyRequests). */
export const RATE_TEXT = anyOf(
  /rate[- ]?limit/,
  /throttl/,
  /too ?many/,
  /too fast/,
  /too quickly/,
  /at a rate/,
  /unusual rate/,
  /message rate/,
  /sending rate/,
  /excessive volume/,
  /unexpected volume/,
  /temporarily deferred/,
  /limit for the number of messages/,
  /sending quota/,
  /sending limit/,
  /queue quota/,
  /limitexceeded/,
  /max(?:imum)? messages? per connection/,
);

/** Enhanced codes that mean one thing only; they win over any wording. */
const DECISIVE_CODES: BounceRule[] = [
  // RFC 7372: 5.7.20–5.7.24 DKIM and SPF failures, 5.7.26 several authentication checks failed.
  rule('code-authentication', 'policy', { enhanced: /^[45]\.7\.(?:2[0-4]|26)$/ }, AUTH),
  rule('code-reverse-dns', 'policy', { enhanced: /^[45]\.7\.25$/ }, DNS),
  // RFC 7505: 5.7.27 is the sender's domain with a null MX, 5.1.10 the recipient's.
  rule('code-sender-null-mx', 'policy', { enhanced: /^[45]\.7\.27$/ }, SENDER),
  // Exchange Online reuses 5.1.10 for a recipient its directory does not know (RecipientNotFound):
  // its own wording says which it is.
  rule('exchange-recipient-not-found', 'no_such_mailbox', { text: /RESOLVER\.ADR\.Recip(?:ient)?NotFound/i }),
  rule('code-null-mx', 'domain_not_found', { enhanced: /^[45]\.1\.10$/ }, NULL_MX),
  // Gmail's deferral for an unusual rate of unsolicited mail.
  rule('code-gmail-rate', 'rate_limited', { enhanced: /^4\.7\.28$/ }),
];

/** Wording, most specific first. */
const TEXT_RULES: BounceRule[] = [
  // Before the mailbox wording: Postgrey says "Recipient address rejected: Greylisted".
  rule('greylisting', 'rate_limited', { text: /gr[ae]y ?list/i }, GREYLIST),
  // Before the spam wording: Gmail's 5.7.26 text says the mail "has been blocked".
  rule(
    'authentication',
    'policy',
    {
      text: anyOf(
        /\b(?:DMARC|SPF|DKIM)\b/,
        /unauthenticated/,
        /not authenticated/,
        /authentication (?:level|check|fail|requirement|required)/,
        /sender policy framework/,
        /spoof/,
      ),
    },
    AUTH,
  ),
  rule('reverse-dns', 'policy', { text: /reverse dns|reverse hostname|\bPTR\b|\brDNS\b|invalid DNS/i }, DNS),
  // Before "domain not found": "Sender address rejected: Domain not found" is about the sender.
  rule(
    'sender',
    'policy',
    {
      text: anyOf(
        /sender address rejected/,
        /bad sender/,
        /sender (?:address |domain )?rejected/,
        /sender verify failed/,
        /invalid sender/,
      ),
    },
    SENDER,
  ),
  // Before the spam wording: Gmail's 4.7.28 speaks of spam but is a temporary rate limit.
  rule('rate', 'rate_limited', { text: RATE_TEXT }),
  rule('spam', 'blocked_as_spam', {
    text: anyOf(
      /spam/,
      /spamcop/,
      /barracuda/,
      /sorbs/,
      /\bRBL\b/,
      /DNSBL/,
      /\bDBL\b/,
      /block ?list/,
      /black ?list/,
      /\bblock(?:ed)?\b/,
      /\blisted\b/,
      /reputation/,
      /junk/,
      /banned sender/,
      /unsolicited/,
      /abuse/,
    ),
  }),
  // Before the size wording ("Mailbox size limit exceeded") and the mailbox wording
  // ("Recipient address rejected: Quota exceeded").
  rule('mailbox-full', 'mailbox_full', {
    text: anyOf(
      /over ?quota/,
      /quota exceeded/,
      /exceeded (?:storage|quota)/,
      /quota violation/,
      /insufficient storage/,
      /storage allocation/,
      /(?:mailbox|inbox)(?: is)? full/,
      /mailbox size limit/,
      /disk quota/,
    ),
  }),
  rule('size', 'message_too_large', {
    text: anyOf(
      /message size/,
      /size limit/,
      /size exceeds/,
      /exceeds? (?:the )?(?:fixed )?max(?:imum)? (?:message )?size/,
      /too large/,
      /too big/,
      /larger than (?:the )?(?:allowed|maximum|permitted)/,
      /MaxSizeError/,
    ),
  }),
  // Before the mailbox wording: "domain does not exist" is not "mailbox does not exist".
  rule('domain', 'domain_not_found', {
    text: anyOf(
      /host not found/,
      /host unknown/,
      /unknown host/,
      /domain not found/,
      /domain name not found/,
      /NXDOMAIN/,
      /\bno MX\b/,
      /name service error/,
      /unrout(?:e)?able/,
      /domain (?:\S+ )?(?:does not|doesn't) exist/,
      /no such domain/,
      /does not accept mail/,
      /null ?MX/,
    ),
  }),
  rule('mailbox', 'no_such_mailbox', {
    text: anyOf(
      /user unknown/,
      /unknown user/,
      /no such (?:user|mailbox|recipient|account|address|person)/,
      /(?:does not|doesn't) exist/,
      /(?:does not|doesn't) have an? \S+ account/,
      /addressee unknown/,
      /unknown recipient/,
      /recipient (?:unknown|not found)/,
      /user not found/,
      /mailbox not found/,
      /mailbox unallocated/,
      /invalid[- ](?:recipient|mailbox|address)/,
      /not a valid (?:email )?address/,
      /undeliverable address/,
      /no longer valid/,
      /no longer on (?:this )?server/,
      /not our customer/,
      /not in recipient list/,
      /recipient address rejected: access denied/,
    ),
  }),
  // About the recipient's mailbox only: "account suspended" from a relay is about our account.
  rule(
    'mailbox-disabled',
    'no_such_mailbox',
    {
      text: anyOf(
        /(?:mailbox|recipient|addressee) (?:is )?(?:disabled|inactive|deactivated)/,
        /account that you tried to reach is disabled/,
      ),
    },
    DISABLED,
  ),
  rule('policy', 'policy', {
    text: anyOf(
      /polic(?:y|ies)/,
      /relay(?:ing)? (?:access )?denied/,
      /open relay/,
      /not allowed/,
      /not permitted/,
      /prohibit/,
      /virus/,
      /malware/,
      /phish/,
      /banned content/,
      /content rejected/,
      /rejected due to security/,
      /not RFC compliant/,
    ),
  }),
  // Generic wording last: "try again later" and "mailbox unavailable" (RFC 5321's own text
  // for any 550) say little; "try again" first, so that an unclear 550 does not suppress.
  rule('try-later', 'rate_limited', { text: /try again later|try later|retry later|at a later time/i }),
  rule('mailbox-generic', 'no_such_mailbox', {
    text: anyOf(/recipient address rejected/, /mailbox unavailable/, /mailbox not available/, /recipient rejected/, /address rejected/),
  }),
];

/** Enhanced codes (RFC 3463 subject.detail) when no wording decided. */
const CODE_RULES: BounceRule[] = [
  // x.1.0 other address status, x.1.1 bad mailbox, x.1.3 bad syntax, x.1.6 mailbox moved.
  rule('code-mailbox', 'no_such_mailbox', { enhanced: /^[45]\.1\.[0136]$/ }),
  rule('code-mailbox-disabled', 'no_such_mailbox', { enhanced: /^[45]\.2\.1$/ }, DISABLED),
  // x.1.2 bad destination system, x.4.4 unable to route (no usable DNS for the domain).
  rule('code-domain', 'domain_not_found', { enhanced: /^[45]\.(?:1\.2|4\.4)$/ }),
  // x.1.7 and x.1.8 blame the sender's address, not the recipient's.
  rule('code-sender', 'policy', { enhanced: /^[45]\.1\.[78]$/ }, SENDER),
  rule('code-mailbox-full', 'mailbox_full', { enhanced: /^[45]\.2\.2$/ }),
  rule('code-size', 'message_too_large', { enhanced: /^[45]\.(?:2\.3|3\.4)$/ }),
  rule('code-network', 'relay_unreachable', { enhanced: /^[45]\.4\.\d+$/ }),
  // 4.7.0 is what Gmail and Yahoo use to defer senders whose volume or reputation worries them.
  rule('code-deferred-security', 'rate_limited', { enhanced: /^4\.7\.0$/ }),
  rule('code-security', 'policy', { enhanced: /^[45]\.7\.\d+$/ }),
];

/** The whole table, in the order it is consulted. */
export const BOUNCE_RULES: readonly BounceRule[] = [...DECISIVE_CODES, ...TEXT_RULES, ...CODE_RULES];

/** The first rule matching a reply's text and enhanced code, if any. */
export function matchBounceRule(text: string, enhanced: string | undefined): BounceRule | undefined {
  const flat = text.replace(/\s+/g, ' ');
  return BOUNCE_RULES.find((r) =>
    r.text ? r.text.test(flat) : enhanced !== undefined && r.enhanced !== undefined && r.enhanced.test(enhanced),
  );
}
