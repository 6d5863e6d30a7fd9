/** The answer stored for an idempotent request. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyBegin =
  /**
   * This try holds the key until the lease it asked for ends: it must `complete`, `release` or
   * `abandon` it with `token`. `startedAt` (epoch ms) is when the key was first used: a try that
   * took the key over from one that died gets the first try's, so that it can find what that
   * try created.
   */
  | { kind: 'started'; token: string; startedAt: number }
  /** The key was used with the same request, which finished with this answer. */
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used with a different request body. */
  | { kind: 'mismatch' }
  /** The same request is being processed right now (its lease has not ended). */
  | { kind: 'in_progress' };

/** The times of a `begin`, in epoch ms. */
export interface IdempotencyTimes {
  now: number;
  /** Until when this try holds the key; after it, a retry of the same request may take the key over. */
  leaseUntil: number;
  /** When a new key is forgotten. */
  expiresAt: number;
}

/** Idempotency keys per tenant, kept for a limited time. */
export interface IdempotencyStore {
  /**
   * Takes the key for a try of the request with this fingerprint: when it is new or expired,
   * or when the same request holds it but its lease ended (that try died or gave up; the key's
   * `startedAt` and expiry stay). Otherwise says why not.
   */
  begin(tenant: string, key: string, fingerprint: string, times: IdempotencyTimes): Promise<IdempotencyBegin>;
  /** Stores the answer given for the key; does nothing if another try has taken the key over. */
  complete(tenant: string, key: string, token: string, response: StoredResponse): Promise<void>;
  /** Forgets the key (the try created nothing, so any request may use it again); not if another try holds it. */
  release(tenant: string, key: string, token: string): Promise<void>;
  /**
   * Ends this try's lease now without an answer (it failed after it may have created
   * something): a retry of the same request takes the key over at once, with its `startedAt`.
   */
  abandon(tenant: string, key: string, token: string): Promise<void>;
}
