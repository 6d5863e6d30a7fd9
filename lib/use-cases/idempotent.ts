/**
 * Idempotent requests: the same `Idempotency-Key` with the same body within 24 hours gets
 * the first answer again and does nothing new; with another body, a 409.
 */
import { ConflictError, errorDocument, MailroomError, ValidationError } from '../domain/errors.ts';
import { fingerprint, isIdempotencyKey } from '../domain/fingerprint.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdempotencyStore, StoredResponse } from '../ports/idempotency-store.ts';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * Runs `run` once per (tenant, key, body). Answers that are final for the request (2xx, and
 * 422 — the same body would be refused again) are stored; a request that failed otherwise
 * releases the key, so a retry runs anew.
 */
export async function idempotent(
  store: IdempotencyStore,
  clock: Clock,
  tenant: string,
  key: string | undefined,
  body: unknown,
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (key === undefined) return run();
  if (!isIdempotencyKey(key)) {
    throw new ValidationError('The Idempotency-Key header is invalid.', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  const now = clock.now().getTime();
  const begun = await store.begin(tenant, key, fingerprint(body), now, now + IDEMPOTENCY_TTL_MS);
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
  let response: StoredResponse;
  try {
    response = await run();
  } catch (error) {
    if (error instanceof MailroomError && error.status === 422) {
      response = { status: 422, body: errorDocument(error) };
    } else {
      await store.release(tenant, key);
      throw error;
    }
  }
  await store.complete(tenant, key, response);
  return response;
}
