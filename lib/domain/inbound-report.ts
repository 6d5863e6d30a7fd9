/**
 * What a message that came back to the return path is: a delivery status notification (RFC 3464
 * `multipart/report; report-type=delivery-status`), a feedback-loop complaint (ARF, RFC 5965
 * `report-type=feedback-report`), a bounce in plain words that quotes the SMTP reply (as older
 * servers send, qmail, Exim, Gmail), an automatic reply (out of office, vacation: never a
 * bounce), or something else.
 */
import { enhancedStatus } from './bounce-classification.ts';
import { headerValue, type InboundMail } from './inbound-mail.ts';

/** One recipient's block of a DSN (or what a plain bounce says about its recipient). */
export interface DsnRecipient {
  /** `failed` or `delayed` (others, `delivered`, `relayed`, `expanded`, are no failures and are left out). */
  action: 'failed' | 'delayed';
  finalRecipient?: string;
  originalRecipient?: string;
  /** RFC 3463 status, e.g. `5.1.1`. */
  status?: string;
  /** `Diagnostic-Code`, e.g. `smtp; 550 5.1.1 user unknown`, or the reply a plain bounce quotes. */
  diagnostic?: string;
}

/** What an inbound report is. */
export type InboundReport =
  | { kind: 'bounce'; format: 'dsn' | 'text'; recipients: DsnRecipient[] }
  | { kind: 'complaint'; feedbackType: string; userAgent?: string; originalRecipient?: string }
  | { kind: 'auto_reply' }
  | { kind: 'other' };

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);

/** Header blocks of a `message/delivery-status` or `message/feedback-report` body: unfolded fields, lower-case names. */
export function fieldBlocks(body: string): Map<string, string>[] {
  const blocks: Map<string, string>[] = [];
  for (const block of body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of block.split('\n')) {
      if (/^[ \t]/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`.trim());
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      if (!fields.has(last)) fields.set(last, line.slice(colon + 1).trim());
    }
    if (fields.size) blocks.push(fields);
  }
  return blocks;
}

/** `rfc822; ann@example.org` → `ann@example.org`. */
function addressField(value: string | undefined): string | undefined {
  const address = value
    ?.replace(/^[^;]*;/, '')
    .trim()
    .replace(/^<|>$/g, '');
  return address || undefined;
}

function dsnRecipients(body: string): DsnRecipient[] {
  // The first block is about the message, the others each about one recipient.
  return fieldBlocks(body)
    .slice(1)
    .flatMap((fields): DsnRecipient[] => {
      const action = fields.get('action')?.toLowerCase().split(/[\s(]/)[0];
      if (action !== 'failed' && action !== 'delayed') return [];
      const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0];
      const diagnostic = fields.get('diagnostic-code');
      const finalRecipient = addressField(fields.get('final-recipient'));
      const originalRecipient = addressField(fields.get('original-recipient'));
      return [
        {
          action,
          ...(finalRecipient && { finalRecipient }),
          ...(originalRecipient && { originalRecipient }),
          ...(status && { status }),
          // `smtp;` alone (a Sendmail warning) says nothing.
          ...(diagnostic && diagnostic.replace(/^[^;]*;/, '').trim() && { diagnostic }),
        },
      ];
    });
}

const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const BOUNCE_SUBJECT =
  /undeliver|returned mail|delivery (status notification|failure|has failed|failed|problem)|mail delivery (failed|subsystem|system)|failure notice|non-?delivery|could not (be delivered|send)|delivery notification/i;
const DELAY_TEXT = /\b(delay(ed)?|warning:|will (keep|continue) trying|still (being )?(retried|undelivered)|not yet been delivered)\b/i;
// Where a plain bounce's copy of the original message starts: replies quoted below are not its own.
const ORIGINAL_START = /^\s*-{2,}.*(original message|copy of the message|below this line|message header|undelivered message)/im;
// A reply code where a reply starts (not inside an address, a time or a number).
const REPLY = /(?:^|[\s:'"(])([45]\d\d)([ -])([^\n]*)/m;

/** The SMTP reply a plain-words bounce quotes, and its status. */
function quotedReply(text: string): { diagnostic: string; status?: string } | undefined {
  const own = text.split(ORIGINAL_START)[0] ?? text;
  const match = REPLY.exec(own);
  if (!match) return undefined;
  const reply = `${match[1]} ${match[3]!.trim()}`.trim().replace(/['"]$/, '');
  // qmail puts the status after the reply: `(#5.5.0)`.
  const status = enhancedStatus(reply) ?? /\(#([245]\.\d{1,3}\.\d{1,3})\)/.exec(own)?.[1];
  return { diagnostic: reply, ...(status && { status }) };
}

function plainBounce(mail: InboundMail): InboundReport | undefined {
  const bounceLike = BOUNCE_SENDER.test(mail.from ?? '') || BOUNCE_SUBJECT.test(mail.subject);
  if (!bounceLike || !mail.text) return undefined;
  const reply = quotedReply(mail.text);
  if (!reply) return undefined;
  const delayed = DELAY_TEXT.test(mail.subject) || (reply.status?.startsWith('4') === true && DELAY_TEXT.test(mail.text));
  const failed = headerValue(mail, 'x-failed-recipients')?.split(',')[0]?.trim();
  return {
    kind: 'bounce',
    format: 'text',
    recipients: [{ action: delayed ? 'delayed' : 'failed', ...(failed && { finalRecipient: failed }), ...reply }],
  };
}

const AUTO_SUBJECT =
  /^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|away( from| until)?\b|on vacation|vacation|abwesenheit|r[ée]ponse automatique|respuesta autom[áa]tica|i am (currently )?(away|out))/i;

/** Whether the message is an automatic reply (RFC 3834 and the headers mail systems use instead). */
function isAutoReply(mail: InboundMail): boolean {
  const submitted = headerValue(mail, 'auto-submitted')?.toLowerCase();
  if (submitted && submitted !== 'no') return true;
  if (headerValue(mail, 'x-autoreply') || headerValue(mail, 'x-autorespond') || headerValue(mail, 'x-autoresponse')) return true;
  if (/^auto[_-]?reply$/i.test(headerValue(mail, 'precedence') ?? '')) return true;
  if (/vacation/i.test(headerValue(mail, 'x-apple-action') ?? '')) return true;
  return AUTO_SUBJECT.test(mail.subject);
}

/** Reads an inbound message as a report. */
export function readInboundReport(mail: InboundMail): InboundReport {
  const feedback = mail.attachments.find((p) => p.contentType === 'message/feedback-report');
  if (feedback || mail.reportType === 'feedback-report') {
    const fields = feedback ? (fieldBlocks(feedback.content.toString('utf8'))[0] ?? new Map<string, string>()) : new Map<string, string>();
    const userAgent = fields.get('user-agent');
    const originalRecipient = addressField(fields.get('original-rcpt-to'));
    return {
      kind: 'complaint',
      feedbackType: (fields.get('feedback-type') ?? 'abuse').toLowerCase(),
      ...(userAgent && { userAgent }),
      ...(originalRecipient && { originalRecipient }),
    };
  }
  const status = mail.attachments.find((p) => STATUS_TYPES.has(p.contentType));
  if (status) {
    const recipients = dsnRecipients(status.content.toString('utf8'));
    return recipients.length ? { kind: 'bounce', format: 'dsn', recipients } : { kind: 'other' };
  }
  // A bounce carries Auto-Submitted too (Exim, Postfix): bounces are told apart first.
  const plain = plainBounce(mail);
  if (plain) return plain;
  return isAutoReply(mail) ? { kind: 'auto_reply' } : { kind: 'other' };
}

/**
 * The envelope senders that the report's copy of the original message shows (its `Return-Path`,
 * below the report's own header): where a complaint sent to a fixed address finds the return
 * path it is about. `raw` is the report as it arrived.
 */
export function originalReturnPaths(raw: string): string[] {
  const body = raw.slice(Math.max(0, raw.search(/\r?\n\r?\n/)));
  return [...body.matchAll(/^Return-Path:[ \t]*<?([^>\s]+@[^>\s]+)>?/gim)].map((m) => m[1]!);
}
