/**
 * The send request of a message nodemailer has normalised (addresses parsed, contents read):
 * its addresses as mailboxes, its headers one value per name, its attachments in base64, and
 * mailroom's own options.
 */
import type { SendMailOptions } from 'nodemailer';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import type { SendAttachment, SendRequest } from './schema.ts';

/** mailroom's own message options, beside nodemailer's. */
export interface MailroomMailOptions {
  /** Tags carried on every event of the message (at most 20). */
  tags?: Record<string, string>;
  /** Kept with the message: strings, numbers, booleans or null (at most 50 keys). */
  metadata?: Record<string, string | number | boolean | null>;
  /** Open and click tracking of the html part. */
  tracking?: { opens?: boolean; clicks?: boolean };
  /** Sent as `Idempotency-Key`: the same key and message within 24 hours is sent once. */
  idempotencyKey?: string;
}

/** An attachment as the transport sends it: its bytes in base64 (`content`), inline in the request. */
export type MailroomAttachment = SendAttachment & { content: string; disposition: 'attachment' | 'inline' };

/** The body of `POST /v1/messages` the transport sends. */
export type MailroomSendBody = SendRequest & { attachments?: MailroomAttachment[] };

type Address = { name?: string; address?: string; group?: Address[] };

/** Message fields the transport refuses: mailroom cannot send them as given. */
export const UNSUPPORTED = ['raw', 'alternatives', 'amp', 'watchHtml', 'icalEvent', 'list', 'sender', 'envelope'] as const;

/** Priority headers, as nodemailer writes them. */
const PRIORITY: Record<string, Record<string, string>> = {
  high: { 'X-Priority': '1 (Highest)', 'X-MSMail-Priority': 'High', Importance: 'High' },
  low: { 'X-Priority': '5 (Lowest)', 'X-MSMail-Priority': 'Low', Importance: 'Low' },
};

/** `Name <address>`, the name quoted when it holds specials. */
function mailbox({ name, address }: Address): string {
  if (!name) return address ?? '';
  const quoted = /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
  return `${quoted} <${address}>`;
}

function mailboxes(value: unknown): string[] {
  const flat = (list: Address[]): Address[] => list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  return flat(([] as Address[]).concat((value as Address | Address[] | null | undefined) ?? [])).map(mailbox);
}

function headerValue(name: string, value: unknown): string {
  const values = Array.isArray(value) ? value : [value];
  if (values.length !== 1) throw new TypeError(`header ${name} is given ${values.length} times: mailroom takes one value per header`);
  const one = values[0] as { value?: unknown } | string;
  return String(typeof one === 'object' && one !== null ? one.value : one);
}

/** The message's custom headers, names as written. */
function headers(data: MailMessage['data']): Record<string, string> {
  const out: Record<string, string> = {};
  const given = data.headers as unknown;
  const entries: [string, unknown][] = Array.isArray(given)
    ? (given as { key: string; value: unknown }[]).map((h) => [h.key, h.value])
    : Object.entries((given as Record<string, unknown>) ?? {});
  for (const [name, value] of entries) {
    if (Object.keys(out).some((known) => known.toLowerCase() === name.toLowerCase()))
      throw new TypeError(`header ${name} is given twice: mailroom takes one value per header`);
    out[name] = headerValue(name, value);
  }
  // Encoded by nodemailer as it would write them (`<id>` lists).
  const normalized = (data as { normalizedHeaders?: Record<string, string> }).normalizedHeaders ?? {};
  if (data.inReplyTo && normalized['in-reply-to']) out['In-Reply-To'] = normalized['in-reply-to'];
  if (data.references && normalized.references) out.References = normalized.references;
  Object.assign(out, PRIORITY[String(data.priority ?? '').toLowerCase()] ?? {});
  return out;
}

type Attachment = NonNullable<SendMailOptions['attachments']>[number] & { content?: unknown; encoding?: string };

function attachment(item: Attachment, index: number): MailroomAttachment {
  const where = `attachments[${index}]`;
  if (item.raw !== undefined) throw new TypeError(`${where}: raw attachments are not supported; give content, path or href`);
  if (item.headers !== undefined) throw new TypeError(`${where}: attachment headers are not supported`);
  const content = item.content;
  let base64: string;
  if (typeof content === 'string') {
    base64 =
      item.encoding === 'base64'
        ? content.replace(/\s+/g, '')
        : Buffer.from(content, (item.encoding as BufferEncoding) ?? 'utf8').toString('base64');
  } else if (Buffer.isBuffer(content)) base64 = content.toString('base64');
  else throw new TypeError(`${where}: its content could not be read`);
  return {
    ...(item.filename && { filename: item.filename }),
    content: base64,
    ...(item.contentType && { content_type: item.contentType }),
    ...(item.cid && { content_id: item.cid }),
    disposition: item.contentDisposition === 'inline' || (!item.contentDisposition && item.cid) ? 'inline' : 'attachment',
  };
}

/** The send request for a message nodemailer normalised (addresses parsed, contents read). */
export function sendBody(data: MailMessage['data'] & MailroomMailOptions): MailroomSendBody {
  const [from] = mailboxes(data.from);
  if (!from) throw new TypeError('from is required');
  const list = (value: unknown) => {
    const all = mailboxes(value);
    return all.length ? all : undefined;
  };
  const cc = list(data.cc);
  const bcc = list(data.bcc);
  const replyTo = list(data.replyTo);
  const custom = headers(data);
  const attachments = (data.attachments ?? []).map((a, i) => attachment(a as Attachment, i));
  return {
    from,
    to: mailboxes(data.to),
    ...(cc && { cc }),
    ...(bcc && { bcc }),
    ...(replyTo && { reply_to: replyTo }),
    subject: String(data.subject ?? ''),
    ...(typeof data.text === 'string' && { text: data.text }),
    ...(typeof data.html === 'string' && { html: data.html }),
    ...(Object.keys(custom).length && { headers: custom }),
    ...(data.tags && { tags: data.tags }),
    ...(data.metadata && { metadata: data.metadata }),
    ...(data.tracking && { tracking: data.tracking }),
    ...(attachments.length && { attachments }),
  };
}
