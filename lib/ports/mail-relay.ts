import type { StoredAttachment } from '../domain/attachments.ts';
import type { MessageContent, RelayAnswer } from '../domain/message.ts';

/** An attachment with its bytes, ready to compose. */
export type OutgoingAttachment = Omit<StoredAttachment, 'key' | 'size'> & { content: Buffer };

/** A message ready to hand to a relay. */
export interface OutgoingMail {
  /** mailroom's id; relays tag the message with it (`X-Mailroom-ID`, SES message tag). */
  id: string;
  tenant: string;
  /** `Message-ID` header value, angle brackets included. */
  messageIdHeader: string;
  /** `Date` header. */
  date: Date;
  /** SMTP envelope: MAIL FROM and the RCPT TO of this attempt (pending recipients only). */
  envelope: { from: string; to: string[] };
  content: MessageContent;
  tags: Record<string, string>;
  /**
   * The exact bytes to send (a message submitted over SMTP, or one already signed): relays
   * send them as they are instead of composing `content`; the envelope still decides who gets it.
   */
  raw?: Buffer;
  /** The files of `content.attachments`, in that order, with their bytes. */
  attachments?: OutgoingAttachment[];
}

/** What happened to one recipient. */
export interface RecipientResult extends RelayAnswer {
  email: string;
}

/** The relay's answer for every envelope recipient. */
export interface RelayResult {
  /** `smtp`, `ses` or `capture`. */
  relay: string;
  recipients: RecipientResult[];
}

/**
 * A relay: SMTP or SES. It answers for every recipient of the envelope and does not throw
 * for refusals or connection failures (those become answers without a 2xx code); it throws
 * only when the message cannot be composed (PoisonMessageError).
 */
export interface MailRelay {
  send(mail: OutgoingMail): Promise<RelayResult>;
  /** Releases pooled connections. */
  close(): Promise<void>;
}
