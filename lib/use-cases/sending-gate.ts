/**
 * The SendingGate on the tenant records: a tenant whose sending is paused is refused with
 * SendingPausedError (403 `sending_paused`, naming the reason). Each process keeps a tenant's
 * state for a few seconds, so a pause or a resume takes up to that long to be seen everywhere.
 */
import { SendingPausedError } from '../domain/errors.ts';
import { ExpiringCache } from '../domain/expiring-cache.ts';
import type { SendingState } from '../domain/tenant.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { Log } from '../ports/logger.ts';
import type { SendingGate } from '../ports/sending-gate.ts';
import type { TenantStore } from '../ports/tenant-store.ts';

/** How long a tenant's state is kept in a process by default (ms). */
export const SENDING_GATE_CACHE_MS = 10_000;

/** Options of {@link TenantSendingGate}. */
export interface TenantSendingGateOptions {
  /** How long a tenant's state is kept (ms); {@link SENDING_GATE_CACHE_MS} by default. */
  cacheMs?: number;
  /** Tenants kept at most; the oldest entry goes first (1000 by default). */
  maxEntries?: number;
  clock?: Clock;
  log?: Log;
}

const ACTIVE: SendingState = { status: 'active' };

/**
 * {@link SendingGate} reading TenantStore.get. A tenant without a record is active. When the
 * store cannot be read, the last state seen holds, or else the tenant is let through (logged):
 * the breaker guards reputation and must not stop all sending when the tenants table has a bad moment.
 */
export class TenantSendingGate implements SendingGate {
  readonly #tenants: TenantStore;
  readonly #cacheMs: number;
  readonly #log: Log | undefined;
  readonly #cache: ExpiringCache<SendingState>;

  constructor(tenants: TenantStore, options: TenantSendingGateOptions = {}) {
    this.#tenants = tenants;
    this.#cacheMs = options.cacheMs ?? SENDING_GATE_CACHE_MS;
    this.#log = options.log;
    this.#cache = new ExpiringCache({ clock: options.clock ?? systemClock, maxEntries: options.maxEntries });
  }

  /** @throws SendingPausedError while the tenant's sending is paused. */
  async check(tenant: string): Promise<void> {
    const state = await this.state(tenant);
    if (state.status === 'paused') throw new SendingPausedError(state.reason, state.pausedAt);
  }

  /** The tenant's sending state, from the cache while it is fresh. */
  state(tenant: string): Promise<SendingState> {
    return this.#cache.get(tenant, async (known) => {
      try {
        return { value: (await this.#tenants.get(tenant))?.sending ?? ACTIVE, keepMs: this.#cacheMs };
      } catch (error) {
        this.#log?.warn('tenant state unavailable; the last known state applies', {
          tenant,
          known: known?.status ?? 'none',
          error: String(error),
        });
        return { value: known ?? ACTIVE, keepMs: 0 };
      }
    });
  }
}

/** Whether the gate holds the tenant back (for work that waits rather than fails); false without a gate. */
export async function isSendingPaused(gate: SendingGate | undefined, tenant: string): Promise<boolean> {
  try {
    await gate?.check(tenant);
    return false;
  } catch (error) {
    if (error instanceof SendingPausedError) return true;
    throw error;
  }
}
