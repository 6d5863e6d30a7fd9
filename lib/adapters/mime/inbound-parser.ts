/**
 * Parses inbound mail with mailparser into {@link InboundMail}. A report's machine-readable parts
 * (`message/delivery-status`, `message/feedback-report`) are kept as parts, not folded into the text.
 * mailparser, with its character set tables (some 1 MB of code), is loaded for the first message,
 * not while the function loads.
 */
import type { AddressObject } from 'mailparser';
import type { InboundMail } from '../../domain/inbound-mail.ts';

/** Largest message the parser takes (bytes); inbound SMTP refuses bigger ones before. */
export const MAX_INBOUND_BYTES = 10 * 1024 * 1024;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value).flatMap((v) => (v.address ? [v.address] : []));
}

/** Parses `raw` (the message as it arrived). */
export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipImageLinks: true, skipTextToHtml: true });
  const type = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const from = parsed.from?.value[0];
  const reportType = type?.params?.['report-type']?.toLowerCase();
  return {
    ...(parsed.messageId && { messageId: parsed.messageId }),
    subject: parsed.subject ?? '',
    ...(from?.address && { from: from.address }),
    ...(from?.name && { fromName: from.name }),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    ...(parsed.date && !Number.isNaN(parsed.date.getTime()) && { date: parsed.date.toISOString() }),
    headers: parsed.headerLines.map(({ key, line }) => [
      key.toLowerCase(),
      line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    ]),
    contentType: (type?.value ?? 'text/plain').toLowerCase(),
    ...(reportType && { reportType }),
    ...(parsed.text !== undefined && { text: parsed.text }),
    ...(typeof parsed.html === 'string' && { html: parsed.html }),
    attachments: parsed.attachments.map((a) => ({
      contentType: a.contentType.toLowerCase(),
      ...(a.filename && { filename: a.filename }),
      ...(a.contentId && { contentId: a.contentId }),
      content: a.content,
    })),
  };
}
