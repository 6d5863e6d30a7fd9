import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../../lib/adapters/dynamodb/idempotency-store.ts';
import type { IdempotencyBegin } from '../../../lib/ports/idempotency-store.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoIdempotencyStore;

beforeAll(async () => {
  store = new DynamoIdempotencyStore(client, (await freshTables(client)).idempotency);
});
afterAll(() => client.destroy());

const DAY = 86_400_000;
const LEASE = 30_000;
const response = { status: 202, body: { id: 'm-1', recipients: [{ email: 'a@example.com', status: 'queued' }] } };

/** Begins the key at `now`, with a lease and an expiry counted from then. */
const begin = (tenant: string, key: string, fingerprint: string, now: number, ttl = DAY) =>
  store.begin(tenant, key, fingerprint, { now, leaseUntil: now + LEASE, expiresAt: now + ttl });

function started(result: IdempotencyBegin): { token: string; startedAt: number } {
  if (result.kind !== 'started') throw new Error(`expected the key to be started, got ${result.kind}`);
  return result;
}

describe('DynamoIdempotencyStore', () => {
  it('starts a key, reports it in progress, then replays the stored answer', async () => {
    const tenant = uniqueId('tenant');
    const { token, startedAt } = started(await begin(tenant, 'k1', 'fp-a', T0));
    expect(startedAt).toBe(T0);
    expect(await begin(tenant, 'k1', 'fp-a', T0 + 1)).toEqual({ kind: 'in_progress' });
    await store.complete(tenant, 'k1', token, response);
    expect(await begin(tenant, 'k1', 'fp-a', T0 + 2)).toEqual({ kind: 'replay', response });
    // Long after the lease, the answer is still what the key gives.
    expect(await begin(tenant, 'k1', 'fp-a', T0 + 10 * LEASE)).toEqual({ kind: 'replay', response });
  });

  it('reports a mismatch when the key comes back with another request, in progress, after its lease, or done', async () => {
    const tenant = uniqueId('tenant');
    const { token } = started(await begin(tenant, 'k1', 'fp-a', T0));
    expect(await begin(tenant, 'k1', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
    expect(await begin(tenant, 'k1', 'fp-b', T0 + LEASE)).toEqual({ kind: 'mismatch' });
    await store.complete(tenant, 'k1', token, response);
    expect(await begin(tenant, 'k1', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
  });

  it('keeps keys apart per tenant', async () => {
    const [a, b] = [uniqueId('tenant'), uniqueId('tenant')];
    expect((await begin(a, 'shared', 'fp-a', T0)).kind).toBe('started');
    expect((await begin(b, 'shared', 'fp-b', T0)).kind).toBe('started');
  });

  it('treats an expired key as new, even before TTL removes it', async () => {
    const tenant = uniqueId('tenant');
    const { token } = started(await begin(tenant, 'k1', 'fp-a', T0, 10_000));
    await store.complete(tenant, 'k1', token, response);
    expect(await begin(tenant, 'k1', 'fp-b', T0 + 9_000)).toEqual({ kind: 'mismatch' });
    expect(started(await begin(tenant, 'k1', 'fp-b', T0 + 10_000)).startedAt).toBe(T0 + 10_000);
    expect(await begin(tenant, 'k1', 'fp-b', T0 + 11_000)).toEqual({ kind: 'in_progress' });
  });

  it('lets a retry of the same request take the key over once the lease of a try that never finished is over', async () => {
    const tenant = uniqueId('tenant');
    const first = started(await begin(tenant, 'k1', 'fp-a', T0));
    expect(await begin(tenant, 'k1', 'fp-a', T0 + LEASE - 1)).toEqual({ kind: 'in_progress' });
    // The lease is over: the retry holds the key, with the first try's startedAt.
    const retry = started(await begin(tenant, 'k1', 'fp-a', T0 + LEASE));
    expect(retry).toEqual({ kind: 'started', token: expect.any(String), startedAt: T0 });
    expect(retry.token).not.toBe(first.token);
    // Now the retry's lease holds.
    expect(await begin(tenant, 'k1', 'fp-a', T0 + LEASE + 1)).toEqual({ kind: 'in_progress' });
    // The first try, late, can neither answer, give up nor release the key any more.
    await store.complete(tenant, 'k1', first.token, { status: 202, body: { id: 'late' } });
    await store.abandon(tenant, 'k1', first.token);
    await store.release(tenant, 'k1', first.token);
    expect(await begin(tenant, 'k1', 'fp-a', T0 + LEASE + 2)).toEqual({ kind: 'in_progress' });
    await store.complete(tenant, 'k1', retry.token, response);
    expect(await begin(tenant, 'k1', 'fp-a', T0 + 3 * LEASE)).toEqual({ kind: 'replay', response });
  });

  it('lets one of several retries take over a lapsed key', async () => {
    const tenant = uniqueId('tenant');
    started(await begin(tenant, 'k1', 'fp-a', T0));
    const results = await Promise.all(Array.from({ length: 5 }, () => begin(tenant, 'k1', 'fp-a', T0 + LEASE)));
    expect(results.filter((r) => r.kind === 'started')).toEqual([expect.objectContaining({ startedAt: T0 })]);
    expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(4);
  });

  it('hands an abandoned key to the next try of the same request at once, with its startedAt', async () => {
    const tenant = uniqueId('tenant');
    const first = started(await begin(tenant, 'k1', 'fp-a', T0));
    await store.abandon(tenant, 'k1', first.token);
    expect(await begin(tenant, 'k1', 'fp-b', T0 + 1)).toEqual({ kind: 'mismatch' });
    expect(started(await begin(tenant, 'k1', 'fp-a', T0 + 1)).startedAt).toBe(T0);
  });

  it('forgets a released key, and completing it afterwards stores nothing', async () => {
    const tenant = uniqueId('tenant');
    const { token } = started(await begin(tenant, 'k1', 'fp-a', T0));
    await store.release(tenant, 'k1', token);
    await store.complete(tenant, 'k1', token, response);
    expect(started(await begin(tenant, 'k1', 'fp-b', T0)).startedAt).toBe(T0);
    await store.release(tenant, 'never-used', token);
  });

  it('lets one of several concurrent first uses start', async () => {
    const tenant = uniqueId('tenant');
    const results = await Promise.all(Array.from({ length: 5 }, () => begin(tenant, 'k1', 'fp-a', T0)));
    expect(results.filter((r) => r.kind === 'started')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(4);
  });
});
