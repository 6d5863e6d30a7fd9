/**
 * Idempotent requests: the same `Idempotency-Key` with the same body within 24 hours gets
 * the first answer again and does nothing new; with another body, a 409. A try holds the key
 * for a lease about as long as the API may run; a try that died or timed out holds it no
 * longer than that, and a retry then takes the key over — with the same ids for what it
 * creates, so that what the dead try stored is found rather than made twice.
 */
import { ConflictError, errorDocument, MailroomError, ValidationError } from '../domain/errors.ts';
import { fingerprint, idempotentId, isIdempotencyKey } from '../domain/fingerprint.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdempotencyStore, StoredResponse } from '../ports/idempotency-store.ts';
import { FUNCTIONS } from '../topology.ts';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * How long a try holds its key: past the API function's timeout (29 s, and API Gateway's
 * 30 s), when Lambda has stopped it whatever it was doing.
 */
export const IDEMPOTENCY_LEASE_MS = (FUNCTIONS.api.timeoutSeconds + 1) * 1000;

/** Ids of what a request creates, by position (a batch's n-th message gets `ids(n)`). */
export type RequestIds = (index: number) => string;

/**
 * Runs `run` once per (tenant, key, body), with `ids` that are the same for every try of the
 * request (without a key, `run` gets none and makes new ids). Answers that are final for the
 * request (2xx, and 422 — the same body would be refused again) are stored. A request refused
 * with another 4xx created nothing: the key is released, so a corrected request may use it. A
 * request that failed otherwise may have created something: the key stays bound to its body,
 * and a retry takes it over at once.
 */
export async function idempotent(
  store: IdempotencyStore,
  clock: Clock,
  tenant: string,
  key: string | undefined,
  body: unknown,
  run: (ids?: RequestIds) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (key === undefined) return run();
  if (!isIdempotencyKey(key)) {
    throw new ValidationError('The Idempotency-Key header is invalid.', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  const now = clock.now().getTime();
  const begun = await store.begin(tenant, key, fingerprint(body), {
    now,
    leaseUntil: now + IDEMPOTENCY_LEASE_MS,
    expiresAt: now + IDEMPOTENCY_TTL_MS,
  });
  switch (begun.kind) {
    case 'replay':
      return begun.response;
    case 'mismatch':
      throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
    case 'in_progress':
      throw new ConflictError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed.');
    case 'started':
      break;
  }
  const { token, startedAt } = begun;
  let response: StoredResponse;
  try {
    response = await run((index) => idempotentId(tenant, key, startedAt, index));
  } catch (error) {
    if (!(error instanceof MailroomError && error.status === 422)) {
      // The caller's error is what it hears; a key left held frees itself when its lease ends.
      const refused = error instanceof MailroomError && error.status < 500;
      await (refused ? store.release(tenant, key, token) : store.abandon(tenant, key, token)).catch(() => undefined);
      throw error;
    }
    response = { status: 422, body: errorDocument(error) };
  }
  await store.complete(tenant, key, token, response);
  return response;
}
