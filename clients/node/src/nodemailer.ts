/**
 * A nodemailer transport that sends over mailroom's HTTPS API (`POST /v1/messages`), so that
 * an application switches with one line:
 *
 *   nodemailer.createTransport(mailroomTransport({ url, apiKey }))
 *
 * It maps nodemailer's message (from, to, cc, bcc, replyTo, subject, text, html, headers,
 * attachments, inReplyTo, references, priority) and mailroom's own options (tags, metadata,
 * tracking, idempotencyKey) to a send request. What mailroom composes itself (Message-ID,
 * Date, the envelope) or cannot take is refused with an error rather than dropped.
 */
import type { SendMailOptions, SentMessageInfo, Transport } from 'nodemailer';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import { MailroomClient, type MailroomClientOptions } from './client.ts';
import { MailroomApiError } from './errors.ts';
import type { SendRequest } from './schema.ts';

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

declare module 'nodemailer/lib/mailer/mail-message' {
  // Lets `sendMail({ ..., tags })` type-check once this module is imported.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into nodemailer's interface
  interface SendMailOptions extends MailroomMailOptions {}
}

/** An attachment as mailroom's API takes it. */
export interface MailroomAttachment {
  filename?: string;
  /** The bytes, base64. */
  content: string;
  content_type?: string;
  /** For `inline` images that the html names as `cid:…`. */
  content_id?: string;
  disposition: 'attachment' | 'inline';
}

/** The body of `POST /v1/messages` the transport sends. */
export type MailroomSendBody = SendRequest & { attachments?: MailroomAttachment[] };

/** What `sendMail` resolves with, as nodemailer's SMTP transport gives it, plus mailroom's id. */
export interface MailroomSentMessageInfo extends SentMessageInfo {
  /** mailroom's id of the message (`GET /v1/messages/{id}`); mailroom writes the Message-ID header itself. */
  messageId: string;
  /** The same id. */
  id: string;
  envelope: { from: string | false; to: string[] };
  /** Recipients mailroom queued. */
  accepted: string[];
  /** Recipients dropped because they are on the suppression list. */
  rejected: string[];
  response: string;
}

type Address = { name?: string; address?: string; group?: Address[] };

/** Message fields the transport refuses: mailroom cannot send them as given. */
const UNSUPPORTED = ['raw', 'alternatives', 'amp', 'watchHtml', 'icalEvent', 'list', 'sender', 'envelope'] as const;

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

/** The nodemailer transport of mailroom's API. */
export class MailroomTransport implements Transport<MailroomSentMessageInfo> {
  readonly name = 'mailroom';
  readonly version = '1';
  readonly supportsAbortSignal = true;
  private readonly client: MailroomClient;

  constructor(options: MailroomClientOptions) {
    this.client = new MailroomClient(options);
  }

  send(mail: MailMessage<MailroomSentMessageInfo>, callback: (error: Error | null, info?: MailroomSentMessageInfo) => void): void {
    const given = UNSUPPORTED.filter((field) => (mail.data as Record<string, unknown>)[field] !== undefined);
    if (given.length) {
      callback(new TypeError(`the mailroom transport does not send ${given.join(', ')}: mailroom composes the message and its envelope`));
      return;
    }
    const envelope = mail.message.getEnvelope();
    mail.normalize((error, data) => {
      if (error || !data) return callback(error ?? new Error('the message could not be read'));
      this.deliver(data as MailMessage['data'] & MailroomMailOptions, envelope).then(
        (info) => callback(null, info),
        (failure: Error) => callback(failure),
      );
    });
  }

  private async deliver(
    data: MailMessage['data'] & MailroomMailOptions,
    envelope: MailroomSentMessageInfo['envelope'],
  ): Promise<MailroomSentMessageInfo> {
    const body = sendBody(data);
    try {
      const answer = await this.client.request('post', '/v1/messages', {
        body,
        ...(data.idempotencyKey && { idempotencyKey: data.idempotencyKey }),
        ...(data.signal && { signal: data.signal }),
      });
      const rejected = answer.rejected.map((r) => r.email);
      const refused = new Set(rejected.map((email) => email.toLowerCase()));
      return {
        messageId: answer.id,
        id: answer.id,
        envelope,
        accepted: envelope.to.filter((address) => !refused.has(address.toLowerCase())),
        rejected,
        response: `202 Accepted: queued as ${answer.id}`,
      };
    } catch (failure) {
      // As nodemailer's SMTP transport does when every recipient is refused: the addresses on the error.
      if (failure instanceof MailroomApiError && failure.code === 'all_recipients_suppressed') {
        const details = failure.details as { rejected?: { email: string }[] } | undefined;
        Object.assign(failure, { rejected: (details?.rejected ?? []).map((r) => r.email) });
      }
      throw failure;
    }
  }

  /** Checks that the API answers (its OpenAPI document); the key is checked by the first send. */
  async verify(): Promise<true> {
    await this.client.request('get', '/v1/openapi.json');
    return true;
  }
}

/** A transport for `nodemailer.createTransport`. */
export function mailroomTransport(options: MailroomClientOptions): MailroomTransport {
  return new MailroomTransport(options);
}
