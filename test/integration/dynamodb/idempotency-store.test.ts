import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../../lib/adapters/dynamodb/idempotency-store.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoIdempotencyStore;

beforeAll(async () => {
  store = new DynamoIdempotencyStore(client, (await freshTables(client)).idempotency);
});
afterAll(() => client.destroy());

const DAY = 86_400_000;
const response = { status: 202, body: { id: 'm-1', recipients: [{ email: 'a@example.com', status: 'queued' }] } };

describe('DynamoIdempotencyStore', () => {
  it('starts a key, reports it in progress, then replays the stored answer', async () => {
    const tenant = uniqueId('tenant');
    expect(await store.begin(tenant, 'k1', 'fp-a', T0, T0 + DAY)).toEqual({ kind: 'started' });
    expect(await store.begin(tenant, 'k1', 'fp-a', T0 + 1, T0 + 1 + DAY)).toEqual({ kind: 'in_progress' });
    await store.complete(tenant, 'k1', response);
    expect(await store.begin(tenant, 'k1', 'fp-a', T0 + 2, T0 + 2 + DAY)).toEqual({ kind: 'replay', response });
  });

  it('reports a mismatch when the key comes back with another request, in progress or done', async () => {
    const tenant = uniqueId('tenant');
    await store.begin(tenant, 'k1', 'fp-a', T0, T0 + DAY);
    expect(await store.begin(tenant, 'k1', 'fp-b', T0, T0 + DAY)).toEqual({ kind: 'mismatch' });
    await store.complete(tenant, 'k1', response);
    expect(await store.begin(tenant, 'k1', 'fp-b', T0, T0 + DAY)).toEqual({ kind: 'mismatch' });
  });

  it('keeps keys apart per tenant', async () => {
    const [a, b] = [uniqueId('tenant'), uniqueId('tenant')];
    expect(await store.begin(a, 'shared', 'fp-a', T0, T0 + DAY)).toEqual({ kind: 'started' });
    expect(await store.begin(b, 'shared', 'fp-b', T0, T0 + DAY)).toEqual({ kind: 'started' });
  });

  it('treats an expired key as new, even before TTL removes it', async () => {
    const tenant = uniqueId('tenant');
    await store.begin(tenant, 'k1', 'fp-a', T0, T0 + 10_000);
    await store.complete(tenant, 'k1', response);
    expect(await store.begin(tenant, 'k1', 'fp-b', T0 + 9_000, T0 + DAY)).toEqual({ kind: 'mismatch' });
    expect(await store.begin(tenant, 'k1', 'fp-b', T0 + 10_000, T0 + DAY)).toEqual({ kind: 'started' });
    expect(await store.begin(tenant, 'k1', 'fp-b', T0 + 11_000, T0 + DAY)).toEqual({ kind: 'in_progress' });
  });

  it('forgets a released key, and completing it afterwards stores nothing', async () => {
    const tenant = uniqueId('tenant');
    await store.begin(tenant, 'k1', 'fp-a', T0, T0 + DAY);
    await store.release(tenant, 'k1');
    await store.complete(tenant, 'k1', response);
    expect(await store.begin(tenant, 'k1', 'fp-b', T0, T0 + DAY)).toEqual({ kind: 'started' });
    await store.release(tenant, 'never-used');
  });

  it('lets one of several concurrent first uses start', async () => {
    const tenant = uniqueId('tenant');
    const results = await Promise.all(Array.from({ length: 5 }, () => store.begin(tenant, 'k1', 'fp-a', T0, T0 + DAY)));
    expect(results.filter((r) => r.kind === 'started')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(4);
  });
});
