/** The answer stored for an idempotent request. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyBegin =
  /** First use of the key: the caller must `complete` or `release` it. */
  | { kind: 'started' }
  /** The key was used with the same request, which finished with this answer. */
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used with a different request body. */
  | { kind: 'mismatch' }
  /** The same request is being processed right now. */
  | { kind: 'in_progress' };

/** Idempotency keys per tenant, kept for a limited time. */
export interface IdempotencyStore {
  /** Records the key with the request's fingerprint unless it exists and has not expired (times in epoch ms). */
  begin(tenant: string, key: string, fingerprint: string, now: number, expiresAt: number): Promise<IdempotencyBegin>;
  /** Stores the answer given for the key. */
  complete(tenant: string, key: string, response: StoredResponse): Promise<void>;
  /** Forgets a key whose request failed, so that a retry runs again. */
  release(tenant: string, key: string): Promise<void>;
}
