/**
 * Mail for a tenant's inbound route: its attachments stored with download links, and one
 * `inbound.received` document per route queued as the first try of a webhook delivery to the
 * route's endpoint, signed and retried like every webhook. The document's id comes from the
 * message and the route, so a message handed over twice makes the same document.
 */
import { createHash } from 'node:crypto';
import { inboundDocument, type InboundAttachmentLink, type InboundVerdicts } from '../domain/inbound-event.ts';
import type { InboundMail } from '../domain/inbound-mail.ts';
import { INBOUND_EVENT_TYPE, type InboundRoute } from '../domain/inbound-route.ts';
import { deliveryId } from '../domain/webhook-delivery.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { InboundRouteStore } from '../ports/inbound-route-store.ts';
import type { Log } from '../ports/logger.ts';
import type { WebhookQueue } from '../ports/webhook-queue.ts';

/** Days an inbound attachment's download link works. */
export const INBOUND_LINK_DAYS = 7;
/** Longest text and HTML body a document carries (characters): the whole document travels through SQS (256 KB). */
export const MAX_BODY_CHARS = 100_000;

/** What delivering routed mail needs. */
export interface RoutedMailDeps {
  routes: Pick<InboundRouteStore, 'find'>;
  webhookQueue: Pick<WebhookQueue, 'enqueue'>;
  /** Where attachments are kept, with download links (the exports store). */
  files: BlobStore;
  /** SPF, DKIM and DMARC when the receiving service gave none (mailauth, local mode). */
  verify?: (raw: Buffer, client: { ip?: string; helo?: string; sender?: string }) => Promise<InboundVerdicts>;
  clock: Clock;
  log: Log;
}

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const cut = (text: string | undefined) => (text !== undefined && text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text);

/** Delivers `mail` to each route's endpoint; answers how many routes it was queued for. */
export async function deliverRoutedMail(
  deps: RoutedMailDeps,
  routes: { route: InboundRoute; recipients: string[] }[],
  arrived: {
    raw: Buffer;
    mail: InboundMail;
    context: { envelopeFrom?: string; verdicts?: InboundVerdicts; client?: { ip?: string; helo?: string } };
  },
): Promise<number> {
  const { raw, context } = arrived;
  const mail = { ...arrived.mail, ...(arrived.mail.text !== undefined && { text: cut(arrived.mail.text)! }) };
  if (mail.html !== undefined) mail.html = cut(mail.html)!;
  const verdicts = context.verdicts ?? (await verifyQuietly(deps, raw, context));
  const digest = createHash('sha256').update(raw).digest('hex');
  const at = deps.clock.now().toISOString();
  for (const { route, recipients } of routes) {
    const id = `in_${createHash('sha256').update(`${route.id}\n${digest}`).digest('hex').slice(0, 32)}`;
    const attachments: InboundAttachmentLink[] = [];
    for (const [index, part] of mail.attachments.entries()) {
      const filename = part.filename ?? `attachment-${index + 1}`;
      const key = `inbound/${route.tenant}/${id}/${index}`;
      const { bytes } = await deps.files.put(key, once(part.content), { contentType: part.contentType, fileName: filename });
      attachments.push({
        filename,
        contentType: part.contentType,
        size: bytes,
        url: await deps.files.downloadUrl(key, INBOUND_LINK_DAYS * 86_400),
      });
    }
    const document = inboundDocument({
      id,
      at,
      route,
      recipients,
      ...(context.envelopeFrom !== undefined && { envelopeFrom: context.envelopeFrom }),
      mail,
      attachments,
      verdicts,
    });
    await deps.webhookQueue.enqueue([
      {
        deliveryId: deliveryId(route.webhookId, id, at),
        tenant: route.tenant,
        endpointId: route.webhookId,
        eventId: id,
        type: INBOUND_EVENT_TYPE,
        body: JSON.stringify(document),
        attempt: 1,
      },
    ]);
    deps.log.info('inbound mail routed', { tenant: route.tenant, routeId: route.id, attachments: attachments.length });
  }
  return routes.length;
}

/** The verdicts mailauth gives, or none when it cannot check (the message is delivered all the same). */
async function verifyQuietly(
  deps: RoutedMailDeps,
  raw: Buffer,
  context: { envelopeFrom?: string; client?: { ip?: string; helo?: string } },
): Promise<InboundVerdicts> {
  if (!deps.verify) return {};
  try {
    return await deps.verify(raw, { ...context.client, ...(context.envelopeFrom !== undefined && { sender: context.envelopeFrom }) });
  } catch (error) {
    deps.log.warn('inbound mail not authenticated', { error: (error as Error).name });
    return {};
  }
}
