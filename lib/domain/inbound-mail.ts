/**
 * A message that arrived at mailroom (a bounce, a complaint, a reply, or mail for a tenant's
 * inbound route), as the MIME parser reads it: what the rules that act on inbound mail look at.
 */

/** A part of the message that is not its text or HTML body: an attachment, or a report's machine-readable part. */
export interface InboundPart {
  /** Lower-case media type (`message/delivery-status`, `application/pdf`). */
  contentType: string;
  filename?: string;
  contentId?: string;
  content: Buffer;
}

/** The parsed message. */
export interface InboundMail {
  /** `Message-ID`, angle brackets included, when it has one. */
  messageId?: string;
  subject: string;
  /** The From address (lower-case domain), and its display name. */
  from?: string;
  fromName?: string;
  to: string[];
  cc: string[];
  /** `Date`, ISO-8601, when it parses. */
  date?: string;
  /** Every header line, unfolded, in order: lower-case name and value. */
  headers: Array<[string, string]>;
  /** Lower-case media type of the whole message, and its `report-type` for a `multipart/report`. */
  contentType: string;
  reportType?: string;
  text?: string;
  html?: string;
  attachments: InboundPart[];
}

/** The first value of header `name` (any case), trimmed. */
export function headerValue(mail: Pick<InboundMail, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return mail.headers.find(([key]) => key === wanted)?.[1].trim();
}
