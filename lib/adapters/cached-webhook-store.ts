/**
 * Webhook endpoints kept in the webhook function for a few seconds: every try of a delivery
 * looks its endpoint up, and all of a tenant's endpoints are items of one partition (the
 * tenant), so without a cache a busy tenant's tries would all read one key (three events a
 * message, for each endpoint). Changes made through this process drop the entry at once; made
 * elsewhere (the API), they reach the tries within `cacheMs`.
 */
import { ExpiringCache } from '../domain/expiring-cache.ts';
import type { Page } from '../domain/suppression.ts';
import type { DisabledReason, WebhookEndpoint } from '../domain/webhook.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { WebhookStore } from '../ports/webhook-store.ts';

/** How long an endpoint is kept by default (ms). */
export const WEBHOOK_ENDPOINT_CACHE_MS = 5_000;

export class CachedWebhookStore implements WebhookStore {
  readonly #cache: ExpiringCache<WebhookEndpoint | undefined>;

  constructor(
    private readonly store: WebhookStore,
    private readonly options: { cacheMs?: number; maxEntries?: number; clock?: Clock } = {},
  ) {
    this.#cache = new ExpiringCache({ clock: options.clock ?? systemClock, maxEntries: options.maxEntries });
  }

  get(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    const cacheMs = this.options.cacheMs ?? WEBHOOK_ENDPOINT_CACHE_MS;
    if (cacheMs <= 0) return this.store.get(tenant, id);
    return this.#cache.get(cacheKey(tenant, id), async () => {
      const endpoint = await this.store.get(tenant, id);
      // An endpoint not found is not kept: one registered a moment ago must get its tries.
      return { value: endpoint, keepMs: endpoint ? cacheMs : 0 };
    });
  }

  create(endpoint: WebhookEndpoint, max: number): Promise<void> {
    return this.store.create(endpoint, max);
  }

  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookEndpoint>> {
    return this.store.list(tenant, options);
  }

  all(tenant: string): Promise<WebhookEndpoint[]> {
    return this.store.all(tenant);
  }

  replace(current: WebhookEndpoint, next: WebhookEndpoint): Promise<boolean> {
    return this.changing(current.tenant, current.id, () => this.store.replace(current, next));
  }

  delete(current: WebhookEndpoint): Promise<boolean> {
    return this.changing(current.tenant, current.id, () => this.store.delete(current));
  }

  noteFailure(tenant: string, id: string, at: string): Promise<string | undefined> {
    return this.changing(tenant, id, () => this.store.noteFailure(tenant, id, at));
  }

  noteSuccess(tenant: string, id: string): Promise<void> {
    return this.changing(tenant, id, () => this.store.noteSuccess(tenant, id));
  }

  disable(tenant: string, id: string, reason: DisabledReason, at: string): Promise<boolean> {
    return this.changing(tenant, id, () => this.store.disable(tenant, id, reason, at));
  }

  /** Runs a change of the endpoint, its cached copy dropped before and after. */
  private async changing<T>(tenant: string, id: string, change: () => Promise<T>): Promise<T> {
    this.#cache.invalidate(cacheKey(tenant, id));
    try {
      return await change();
    } finally {
      this.#cache.invalidate(cacheKey(tenant, id));
    }
  }
}

const cacheKey = (tenant: string, id: string) => `${tenant}\n${id}`;
