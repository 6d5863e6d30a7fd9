/**
 * The message model: what a send request may contain, and the records mailroom keeps.
 */
import type { StoredAttachment } from './attachments.ts';

/**
 * The header that ties a relayed message to mailroom's record, on API and SMTP mail alike. Spelled
 * as nodemailer writes it (it would turn `X-Mailroom-Id` into `X-Mailroom-ID` on API mail).
 */
export const MAILROOM_ID_HEADER = 'X-Mailroom-ID';

/**
 * Overall status of a message, and the status of each recipient. `scheduled` is a message's
 * only (its recipients wait as `queued`); `canceled`, a message canceled before delivery took it.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sent',
  'deferred',
  'delivered',
  'bounced',
  'complained',
  'failed',
  'rejected',
  'scheduled',
  'canceled',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What the caller asked to send, validated and normalised. Addresses are formatted mailboxes. */
export interface MessageContent {
  /** `Name <address>` or `address`. */
  from: string;
  to: string[];
  cc: string[];
  /** Never written into the MIME; only into the envelope. */
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  /**
   * The html part as the sender gave it, when open or click tracking rewrote `html`: what
   * reading the message's content shows. Kept beside the bodies, never sent.
   */
  sourceHtml?: string;
  /** Custom headers, names as given. */
  headers: Record<string, string>;
  /** Files, in the order given; their bytes are in the attachment store. */
  attachments?: StoredAttachment[];
}

/** Which stored template, in which version, made a message's subject and body. */
export interface TemplateVersion {
  id: string;
  /** 1 when created; each change adds 1. */
  version: number;
}

/** The stored message (one per send request). */
export interface MessageRecord {
  /** mailroom's id, e.g. `01JD…` (time-sortable). */
  id: string;
  tenant: string;
  /** ISO-8601 time the API accepted it; also the `Date` header. */
  createdAt: string;
  /** RFC 5322 `Message-ID`, angle brackets included, fixed at acceptance so retries reuse it. */
  messageIdHeader: string;
  /** Envelope sender (bare address). */
  envelopeFrom: string;
  content: MessageContent;
  tags: Record<string, string>;
  metadata: Record<string, string | number | boolean | null>;
  /** Mailing list and campaign of a campaign message; its events carry them into reports. */
  list?: string;
  campaign?: string;
  /** The stored template the subject and body were rendered from. */
  template?: TemplateVersion;
  status: MessageStatus;
  /** ISO time before which the message is not sent (`send_at`); absent when it was sent at once. */
  sendAt?: string;
  /**
   * A message submitted over SMTP: its bytes, as they are relayed, in the raw message store
   * (`content` then only describes it: addresses and subject from its headers, no bodies).
   */
  raw?: { key: string; bytes: number };
  /** Delivery attempts begun so far (0 until the first). */
  attempts: number;
  /** Epoch ms until which an attempt in flight holds the message; absent when none. */
  leaseUntil?: number;
  /** ISO time of the last change. */
  updatedAt: string;
}

/** The answer of a relay for one recipient. */
export interface RelayAnswer {
  /** SMTP reply code (250, 451, 550…); absent for SES and connection failures. */
  code?: number;
  /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
  enhanced?: string;
  /** The relay's text (SMTP response line, SES message id, or the connection error). */
  response: string;
}

/** One recipient of a message, as stored. */
export interface RecipientRecord {
  messageId: string;
  /** Normalised bare address. */
  email: string;
  /** How the address was given: to, cc or bcc. */
  kind: 'to' | 'cc' | 'bcc';
  status: MessageStatus;
  /** Attempts that included this recipient. */
  attempts: number;
  lastAnswer?: RelayAnswer;
  /** Amazon SES's id of the message this recipient was sent in, once an SES event named it. */
  sesMessageId?: string;
  updatedAt: string;
  /** This recipient's events that the record holds itself, not the event store (carried-events.ts). */
  carries?: CarriedEvents;
}

/**
 * The two events every message has for each recipient, kept in the recipient's own record
 * rather than written apart: the writes that change the record (acceptance, the attempt's
 * end) record them too, and the store's change stream publishes them.
 */
export interface CarriedEvents {
  /** Queued at acceptance: the `queued` event, at the message's `createdAt`, attempt 0. */
  queued?: true;
  /** Sent: the `sent` event of attempt `attempt` at `at`, relayed through `relay`, which answered `answer`. */
  sent?: { at: string; attempt: number; relay: string; answer: RelayAnswer };
}

/** A message with its recipients. */
export interface StoredMessage {
  message: MessageRecord;
  recipients: RecipientRecord[];
}

/** Statuses after which nothing more is attempted for a recipient. */
const PENDING: ReadonlySet<MessageStatus> = new Set(['queued', 'deferred']);

/** Whether a recipient still waits for delivery. */
export function isPending(status: MessageStatus): boolean {
  return PENDING.has(status);
}

// Precedence for the overall status of a message with several recipients: anything still
// pending wins, then the best outcome reached, then the failures; a canceled message's
// recipients that were suppressed at acceptance (rejected) do not hide that it was canceled.
const PRECEDENCE: MessageStatus[] = [
  'queued',
  'deferred',
  'scheduled',
  'delivered',
  'sent',
  'complained',
  'bounced',
  'failed',
  'canceled',
  'rejected',
];

/** Overall status of a message from the statuses of its recipients. */
export function overallStatus(statuses: MessageStatus[]): MessageStatus {
  for (const status of PRECEDENCE) if (statuses.includes(status)) return status;
  return 'queued';
}
