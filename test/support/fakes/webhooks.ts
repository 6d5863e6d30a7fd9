/** Webhook endpoints, the delivery log, the webhook queue, a sender and a resolver, in memory. */
import type { Page } from '../../../lib/domain/suppression.ts';
import { WebhookLimitError, type DisabledReason, type WebhookEndpoint } from '../../../lib/domain/webhook.ts';
import type { WebhookAnswer, WebhookDelivery, WebhookJob } from '../../../lib/domain/webhook-delivery.ts';
import type { WebhookQueue } from '../../../lib/ports/webhook-queue.ts';
import type { HostResolver, WebhookRequest, WebhookSender } from '../../../lib/ports/webhook-sender.ts';
import type { AttemptRecord, WebhookDeliveryStore, WebhookStore } from '../../../lib/ports/webhook-store.ts';

const key = (tenant: string, id: string) => `${tenant}|${id}`;

/** A {@link WebhookStore} in memory; readers get copies. */
export class MemoryWebhookStore implements WebhookStore {
  readonly endpoints = new Map<string, WebhookEndpoint>();

  async create(endpoint: WebhookEndpoint, max: number): Promise<void> {
    if ([...this.endpoints.values()].filter((e) => e.tenant === endpoint.tenant).length >= max) throw new WebhookLimitError(max);
    this.endpoints.set(key(endpoint.tenant, endpoint.id), structuredClone(endpoint));
  }

  async get(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    const endpoint = this.endpoints.get(key(tenant, id));
    return endpoint && structuredClone(endpoint);
  }

  /** Pages in id order; the cursor is the last id of the page before. */
  async list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookEndpoint>> {
    const all = (await this.all(tenant)).filter((e) => options.cursor === undefined || e.id > options.cursor);
    const items = all.slice(0, options.limit);
    return all.length > options.limit ? { items, cursor: items.at(-1)!.id } : { items };
  }

  async all(tenant: string): Promise<WebhookEndpoint[]> {
    return [...this.endpoints.values()]
      .filter((e) => e.tenant === tenant)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((e) => structuredClone(e));
  }

  async replace(current: WebhookEndpoint, next: WebhookEndpoint): Promise<boolean> {
    if (this.endpoints.get(key(current.tenant, current.id))?.version !== current.version) return false;
    this.endpoints.set(key(next.tenant, next.id), structuredClone(next));
    return true;
  }

  async delete(current: WebhookEndpoint): Promise<boolean> {
    if (this.endpoints.get(key(current.tenant, current.id))?.version !== current.version) return false;
    return this.endpoints.delete(key(current.tenant, current.id));
  }

  async noteFailure(tenant: string, id: string, at: string): Promise<string | undefined> {
    const endpoint = this.endpoints.get(key(tenant, id));
    if (!endpoint) return undefined;
    endpoint.failingSince ??= at;
    return endpoint.failingSince;
  }

  async noteSuccess(tenant: string, id: string): Promise<void> {
    const endpoint = this.endpoints.get(key(tenant, id));
    if (endpoint) delete endpoint.failingSince;
  }

  async disable(tenant: string, id: string, reason: DisabledReason, at: string): Promise<boolean> {
    const endpoint = this.endpoints.get(key(tenant, id));
    if (!endpoint?.enabled) return false;
    Object.assign(endpoint, { enabled: false, disabledReason: reason, updatedAt: at, version: endpoint.version + 1 });
    return true;
  }
}

/** A {@link WebhookDeliveryStore} in memory. */
export class MemoryWebhookDeliveryStore implements WebhookDeliveryStore {
  readonly deliveries = new Map<string, WebhookDelivery>();
  /** Every record call, in order. */
  readonly records: AttemptRecord[] = [];

  async get(tenant: string, endpointId: string, id: string): Promise<WebhookDelivery | undefined> {
    const delivery = this.deliveries.get(`${key(tenant, endpointId)}|${id}`);
    return delivery && structuredClone(delivery);
  }

  async list(tenant: string, endpointId: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookDelivery>> {
    const all = [...this.deliveries.values()]
      .filter((d) => d.tenant === tenant && d.endpointId === endpointId && (options.cursor === undefined || d.id < options.cursor))
      .sort((a, b) => b.id.localeCompare(a.id));
    const items = all.slice(0, options.limit);
    return all.length > options.limit ? { items, cursor: items.at(-1)!.id } : { items };
  }

  async record(attempt: AttemptRecord): Promise<WebhookDelivery> {
    this.records.push(structuredClone(attempt));
    const k = `${key(attempt.tenant, attempt.endpointId)}|${attempt.id}`;
    const before = this.deliveries.get(k);
    const delivery: WebhookDelivery = {
      id: attempt.id,
      tenant: attempt.tenant,
      endpointId: attempt.endpointId,
      eventId: before?.eventId ?? attempt.eventId,
      type: before?.type ?? attempt.type,
      body: before?.body ?? attempt.body,
      status: attempt.status,
      attempts: (before?.attempts ?? 0) + (attempt.attempted ? 1 : 0),
      ...(attempt.statusCode !== undefined && { lastStatusCode: attempt.statusCode }),
      ...(attempt.error !== undefined && { lastError: attempt.error }),
      ...(attempt.durationMs !== undefined && { durationMs: attempt.durationMs }),
      ...(attempt.nextAttemptAt !== undefined && { nextAttemptAt: attempt.nextAttemptAt }),
      createdAt: before?.createdAt ?? attempt.at,
      updatedAt: attempt.at,
    };
    this.deliveries.set(k, delivery);
    return structuredClone(delivery);
  }
}

/** A {@link WebhookQueue} in memory: what was enqueued, with its delay, and what was postponed. */
export class MemoryWebhookQueue implements WebhookQueue {
  readonly enqueued: { job: WebhookJob; delaySeconds: number }[] = [];
  readonly postponed: { handle: string; seconds: number }[] = [];
  failing = false;

  async enqueue(jobs: WebhookJob[], delaySeconds = 0): Promise<void> {
    if (this.failing) throw new Error('queue unavailable');
    for (const job of jobs) this.enqueued.push({ job: structuredClone(job), delaySeconds });
  }

  async postpone(handle: string, seconds: number): Promise<void> {
    this.postponed.push({ handle, seconds });
  }
}

/** A {@link WebhookSender} that answers from a script (default 204) and keeps every request. */
export class ScriptedWebhookSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];
  readonly answers: WebhookAnswer[] = [];

  async send(request: WebhookRequest): Promise<WebhookAnswer> {
    this.requests.push(structuredClone(request));
    return this.answers.shift() ?? { statusCode: 204, durationMs: 5 };
  }
}

/** A {@link HostResolver} from a table of names (unknown names resolve to nothing). */
export function tableResolver(table: Record<string, string[]>): HostResolver {
  return { addresses: async (host) => table[host] ?? [] };
}
