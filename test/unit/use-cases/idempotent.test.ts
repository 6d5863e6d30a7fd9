/**
 * idempotent over an in-memory key store: what is stored and replayed, when a key is in
 * progress, freed or taken over, and which ids each try of a request gets.
 */
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError, UnprocessableError, ValidationError } from '../../../lib/domain/errors.ts';
import { idempotentId } from '../../../lib/domain/fingerprint.ts';
import type { StoredResponse } from '../../../lib/ports/idempotency-store.ts';
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS, idempotent, type RequestIds } from '../../../lib/use-cases/idempotent.ts';
import { clockAt, MemoryIdempotencyStore } from '../../support/fakes/index.ts';

const NOW = '2026-11-28T10:00:00.000Z';
const T = Date.parse(NOW);
const BODY = { to: 'ann@example.org' };

function setup() {
  const store = new MemoryIdempotencyStore();
  const clock = clockAt(NOW);
  /** Calls idempotent for tenant `acme`; `run` records the ids it got. */
  const request = (key: string | undefined, body: unknown, run: (ids?: RequestIds) => Promise<StoredResponse>) =>
    idempotent(store, clock, 'acme', key, body, run);
  return { store, clock, request };
}

/** A run answering 202 with the first two ids it was given. */
const accepted = async (ids?: RequestIds): Promise<StoredResponse> => ({ status: 202, body: { ids: ids ? [ids(0), ids(1)] : [] } });

describe('idempotent', () => {
  it('runs a request without a key as it is, with no ids', async () => {
    const { store, request } = setup();
    expect(await request(undefined, BODY, accepted)).toEqual({ status: 202, body: { ids: [] } });
    expect(store.keys.size).toBe(0);
  });

  it('refuses a key that is not 1 to 255 visible ASCII characters', async () => {
    const { request } = setup();
    await expect(request('has space', BODY, accepted)).rejects.toBeInstanceOf(ValidationError);
  });

  it('stores the answer and replays it, with ids derived from the key and its first use', async () => {
    const { request, clock } = setup();
    const first = await request('k1', BODY, accepted);
    expect(first).toEqual({ status: 202, body: { ids: [idempotentId('acme', 'k1', T, 0), idempotentId('acme', 'k1', T, 1)] } });
    clock.advance(IDEMPOTENCY_TTL_MS - 1);
    expect(await request('k1', BODY, () => Promise.reject(new Error('must not run')))).toEqual(first);
    await expect(request('k1', { to: 'bob@example.org' }, accepted)).rejects.toMatchObject({ status: 409, code: 'idempotency_key_reused' });
  });

  it('answers 409 in progress during the lease only; after it a retry takes the key over with the same ids', async () => {
    const { request, clock } = setup();
    let ids: RequestIds | undefined;
    // The first try never answers: it died holding the key.
    void request('k1', BODY, (given) => ((ids = given), new Promise(() => undefined)));
    clock.advance(IDEMPOTENCY_LEASE_MS - 1);
    await expect(request('k1', BODY, accepted)).rejects.toMatchObject({ status: 409, code: 'idempotency_request_in_progress' });
    clock.advance(1);
    expect(await request('k1', BODY, accepted)).toEqual({ status: 202, body: { ids: [ids!(0), ids!(1)] } });
  });

  it('keeps the answer of the try that holds the key: a late first try can no longer answer', async () => {
    const { request, clock } = setup();
    let finishFirst!: (answer: StoredResponse) => void;
    const first = request('k1', BODY, () => new Promise((resolve) => (finishFirst = resolve)));
    clock.advance(IDEMPOTENCY_LEASE_MS);
    const retry = await request('k1', BODY, accepted);
    finishFirst({ status: 202, body: { late: true } });
    await first;
    expect(await request('k1', BODY, accepted)).toEqual(retry);
  });

  it('stores a 422, which the same body would get again', async () => {
    const { request } = setup();
    const refused = () => Promise.reject(new UnprocessableError('all_recipients_suppressed', 'Every recipient is suppressed.'));
    const answer = await request('k1', BODY, refused);
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'all_recipients_suppressed' } } });
    expect(await request('k1', BODY, accepted)).toEqual(answer);
  });

  it('frees the key after another 4xx: nothing was created, and a corrected request may use it', async () => {
    const { request } = setup();
    await expect(request('k1', BODY, () => Promise.reject(new ValidationError('bad')))).rejects.toBeInstanceOf(ValidationError);
    expect((await request('k1', { to: 'bob@example.org' }, accepted)).status).toBe(202);
  });

  it('after a 5xx keeps the key to its body and lets a retry run at once, with the same ids', async () => {
    const { request } = setup();
    let ids: RequestIds | undefined;
    const failing = (given?: RequestIds) => ((ids = given), Promise.reject(new ServiceUnavailableError()));
    await expect(request('k1', BODY, failing)).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(request('k1', { to: 'bob@example.org' }, accepted)).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect(await request('k1', BODY, accepted)).toEqual({ status: 202, body: { ids: [ids!(0), ids!(1)] } });
  });
});
