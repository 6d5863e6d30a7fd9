/**
 * The `inbound.received` document: what arrived at a tenant's inbound route, as its webhook
 * endpoint receives it (the same envelope as every webhook document: version, id, type, tenant,
 * at, detail). Bodies are included; attachments are links to their stored bytes.
 */
import { EVENT_SCHEMA_VERSION } from './events.ts';
import { INBOUND_EVENT_TYPE, type InboundRoute } from './inbound-route.ts';
import type { InboundMail } from './inbound-mail.ts';

/** Verdicts on the message: SES's (in AWS) or mailauth's (local mode). */
export interface InboundVerdicts {
  spam?: string;
  virus?: string;
  spf?: string;
  dkim?: string;
  dmarc?: string;
}

/** A stored attachment of an inbound message. */
export interface InboundAttachmentLink {
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

/** Headers left out of the document: they carry nothing a receiver needs and can be long. */
const SKIPPED_HEADERS = new Set(['received', 'dkim-signature', 'arc-seal', 'arc-message-signature', 'x-ses-receipt']);

/** The document of one arrived message for one route. */
export function inboundDocument(input: {
  id: string;
  at: string;
  route: InboundRoute;
  recipients: string[];
  envelopeFrom?: string;
  mail: InboundMail;
  attachments: InboundAttachmentLink[];
  verdicts: InboundVerdicts;
}) {
  const { mail, route } = input;
  return {
    version: EVENT_SCHEMA_VERSION,
    id: input.id,
    type: INBOUND_EVENT_TYPE,
    tenant: route.tenant,
    at: input.at,
    detail: {
      route_id: route.id,
      match: route.match,
      envelope: { from: input.envelopeFrom ?? null, to: input.recipients },
      message_id: mail.messageId ?? null,
      from: mail.from ?? null,
      from_name: mail.fromName ?? null,
      to: mail.to,
      cc: mail.cc,
      subject: mail.subject,
      date: mail.date ?? null,
      text: mail.text ?? null,
      html: mail.html ?? null,
      headers: mail.headers.filter(([name]) => !SKIPPED_HEADERS.has(name)).map(([name, value]) => ({ name, value })),
      attachments: input.attachments.map((a) => ({ filename: a.filename, content_type: a.contentType, size: a.size, url: a.url })),
      spam_verdict: input.verdicts.spam ?? null,
      virus_verdict: input.verdicts.virus ?? null,
      spf: input.verdicts.spf ?? null,
      dkim: input.verdicts.dkim ?? null,
      dmarc: input.verdicts.dmarc ?? null,
    },
  };
}
