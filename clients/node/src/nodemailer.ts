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
import type { SentMessageInfo, Transport } from 'nodemailer';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import { MailroomClient, type MailroomClientOptions } from './client.ts';
import { MailroomApiError } from './errors.ts';
import { sendBody, UNSUPPORTED, type MailroomMailOptions } from './send-body.ts';

export type { MailroomAttachment, MailroomMailOptions, MailroomSendBody } from './send-body.ts';
export { sendBody };

declare module 'nodemailer/lib/mailer/mail-message' {
  // Lets `sendMail({ ..., tags })` type-check once this module is imported.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged into nodemailer's interface
  interface SendMailOptions extends MailroomMailOptions {}
}

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

/** The nodemailer transport of mailroom's API. */
export class MailroomTransport implements Transport<MailroomSentMessageInfo> {
  readonly name = 'mailroom';
  readonly version = '0.1.0';
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
