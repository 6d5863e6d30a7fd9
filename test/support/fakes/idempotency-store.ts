/** Idempotency keys in memory. */
import type { IdempotencyBegin, IdempotencyStore, IdempotencyTimes, StoredResponse } from '../../../lib/ports/idempotency-store.ts';

/** A key as the store holds it; `token` and `leaseUntil` while a try holds it. */
interface HeldKey {
  fingerprint: string;
  startedAt: number;
  expiresAt: number;
  response?: StoredResponse;
  token?: string;
  leaseUntil?: number;
}

/**
 * An {@link IdempotencyStore} in memory, with the rules of DynamoIdempotencyStore: a new or
 * expired key is taken; the same request takes over a key in progress whose lease has ended
 * (keeping its `startedAt`); `complete`, `release` and `abandon` act only for the try whose
 * token holds the key.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly keys = new Map<string, HeldKey>();
  private issued = 0;

  async begin(tenant: string, key: string, fingerprint: string, times: IdempotencyTimes): Promise<IdempotencyBegin> {
    const id = `${tenant}#${key}`;
    const old = this.keys.get(id);
    const token = `token-${++this.issued}`;
    if (!old || old.expiresAt <= times.now) {
      this.keys.set(id, { fingerprint, startedAt: times.now, expiresAt: times.expiresAt, token, leaseUntil: times.leaseUntil });
      return { kind: 'started', token, startedAt: times.now };
    }
    if (old.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (old.response) return { kind: 'replay', response: structuredClone(old.response) };
    if (old.leaseUntil !== undefined && old.leaseUntil > times.now) return { kind: 'in_progress' };
    Object.assign(old, { token, leaseUntil: times.leaseUntil });
    return { kind: 'started', token, startedAt: old.startedAt };
  }

  async complete(tenant: string, key: string, token: string, response: StoredResponse): Promise<void> {
    const held = this.held(tenant, key, token);
    if (!held) return;
    held.response = structuredClone(response);
    delete held.token;
    delete held.leaseUntil;
  }

  async release(tenant: string, key: string, token: string): Promise<void> {
    if (this.held(tenant, key, token)) this.keys.delete(`${tenant}#${key}`);
  }

  async abandon(tenant: string, key: string, token: string): Promise<void> {
    const held = this.held(tenant, key, token);
    if (!held) return;
    delete held.token;
    delete held.leaseUntil;
  }

  private held(tenant: string, key: string, token: string): HeldKey | undefined {
    const found = this.keys.get(`${tenant}#${key}`);
    return found?.token === token ? found : undefined;
  }
}
