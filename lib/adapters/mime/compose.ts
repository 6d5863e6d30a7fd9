/**
 * MIME composition shared by every relay, so that SMTP and SES send the same bytes.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { PoisonMessageError } from '../../domain/errors.ts';
import { MAILROOM_ID_HEADER } from '../../domain/message.ts';
import type { OutgoingMail } from '../../ports/mail-relay.ts';

function withoutMailroomId(headers: Record<string, string>): Record<string, string> {
  const key = MAILROOM_ID_HEADER.toLowerCase();
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== key));
}

/** The MailComposer options for a message; Bcc is deliberately absent (envelope only). */
export function composerOptions(mail: OutgoingMail): MailComposerOptions {
  const { content } = mail;
  const options: MailComposerOptions = {
    from: content.from,
    to: content.to,
    subject: content.subject,
    messageId: mail.messageIdHeader,
    date: mail.date,
    // A caller's header of that name, in any case, is left out: the id cannot be replaced or
    // doubled (validation also reserves it).
    headers: { ...withoutMailroomId(content.headers), [MAILROOM_ID_HEADER]: mail.id },
    // Content comes from API callers: it must never make the composer read a local file
    // or fetch a URL (nodemailer resolves `path`/`href` content otherwise).
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  if (content.cc.length > 0) options.cc = content.cc;
  if (content.replyTo.length > 0) options.replyTo = content.replyTo;
  if (content.text !== undefined) options.text = content.text;
  if (content.html !== undefined) options.html = content.html;
  if (mail.attachments?.length) {
    options.attachments = mail.attachments.map((attachment) => ({
      filename: attachment.filename,
      content: attachment.content,
      contentType: attachment.contentType,
      contentDisposition: attachment.disposition,
      ...(attachment.contentId !== undefined && { cid: attachment.contentId }),
      // Always base64: the bytes arrive exactly as stored, whatever they hold (a text file's
      // line endings included), and no line exceeds 76 characters.
      contentTransferEncoding: 'base64',
    }));
  }
  return options;
}

/**
 * Builds the RFC 5322 message of `mail`: From, To, Cc, Reply-To, Subject, Date, Message-ID,
 * the caller's custom headers and MAILROOM_ID_HEADER, with text and/or html bodies and the
 * attachments (those with a content id in a multipart/related part with the html). Bcc
 * recipients appear only in the envelope, never in the headers.
 *
 * @throws PoisonMessageError when the message cannot be composed; retrying would not help.
 */
export async function composeMime(mail: OutgoingMail): Promise<Buffer> {
  // Bytes given as they are (SMTP submissions, signed messages) are sent untouched.
  if (mail.raw) return mail.raw;
  // nodemailer writes `Date: Invalid Date` rather than failing; a stored message with an
  // unusable date can never be sent correctly.
  if (!(mail.date instanceof Date) || Number.isNaN(mail.date.getTime())) {
    throw new PoisonMessageError(`message ${mail.id} cannot be composed: its date is not a valid date`);
  }
  try {
    return await new MailComposer(composerOptions(mail)).compile().build();
  } catch (error) {
    throw new PoisonMessageError(`message ${mail.id} cannot be composed: ${(error as Error).message}`, { cause: error });
  }
}
