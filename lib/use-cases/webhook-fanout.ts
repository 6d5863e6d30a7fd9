/**
 * Fans notification documents out to the webhook endpoints that want them: for each document,
 * one delivery per enabled endpoint of its tenant that subscribed to its type, queued as its
 * first try. It is a Notifier, so the stream function publishes to the topic and to the
 * webhooks in one step, and the webhook function sends its `webhook.disabled` notices the same
 * way. Each batch reads each tenant's endpoints once; tenants without endpoints cost that read.
 */
import type { MailEvent } from '../domain/events.ts';
import { noticeDocument, notificationDocument } from '../domain/notification-document.ts';
import type { TenantNotice } from '../domain/tenant-notice.ts';
import { subscribesTo, type WebhookEndpoint } from '../domain/webhook.ts';
import { deliveryId, type WebhookJob } from '../domain/webhook-delivery.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { WebhookQueue } from '../ports/webhook-queue.ts';
import type { WebhookStore } from '../ports/webhook-store.ts';

/** What a document needs for fan-out: who it belongs to, what it is, and its text. */
interface Outgoing {
  id: string;
  type: string;
  tenant: string;
  at: string;
  body: string;
}

export interface WebhookFanoutDeps {
  webhooks: Pick<WebhookStore, 'all'>;
  webhookQueue: Pick<WebhookQueue, 'enqueue'>;
}

/** {@link Notifier} that queues a delivery per matching endpoint. */
export class WebhookFanout implements Notifier {
  constructor(private readonly deps: WebhookFanoutDeps) {}

  async publish(events: MailEvent[]): Promise<void> {
    await this.#fanOut(events.map((event) => notificationDocument(event)));
  }

  async publishNotice(notice: TenantNotice): Promise<void> {
    await this.#fanOut([noticeDocument(notice)]);
  }

  /** The first try of each delivery the documents make. */
  async #jobs(documents: readonly { id: string; type: string; tenant: string; at: string }[]): Promise<WebhookJob[]> {
    const outgoing: Outgoing[] = documents.map((document) => ({
      id: document.id,
      type: document.type,
      tenant: document.tenant,
      at: document.at,
      body: JSON.stringify(document),
    }));
    const tenants = [...new Set(outgoing.map((d) => d.tenant))];
    const endpoints = new Map<string, WebhookEndpoint[]>(
      await Promise.all(tenants.map(async (tenant) => [tenant, (await this.deps.webhooks.all(tenant)).filter((e) => e.enabled)] as const)),
    );
    return outgoing.flatMap((document) =>
      (endpoints.get(document.tenant) ?? [])
        .filter((endpoint) => subscribesTo(endpoint, document.type))
        .map((endpoint) => ({
          deliveryId: deliveryId(endpoint.id, document.id, document.at),
          tenant: document.tenant,
          endpointId: endpoint.id,
          eventId: document.id,
          type: document.type,
          body: document.body,
          attempt: 1,
        })),
    );
  }

  async #fanOut(documents: readonly { id: string; type: string; tenant: string; at: string }[]): Promise<void> {
    const jobs = await this.#jobs(documents);
    if (jobs.length) await this.deps.webhookQueue.enqueue(jobs);
  }
}
