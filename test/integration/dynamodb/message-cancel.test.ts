/** DynamoMessageStore.cancel on DynamoDB Local: one conditional write on the item a delivery claim writes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import type { StoredMessage } from '../../../lib/domain/message.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, iso, storedMessage } from './factories.ts';

const client = dynamoClient();
let store: DynamoMessageStore;

beforeAll(async () => {
  store = new DynamoMessageStore(client, (await freshTables(client)).messages);
});
afterAll(() => client.destroy());

const LEASE = 60_000;
const AT = iso(5000);

/** A scheduled message of tenant-a, its last recipient suppressed at acceptance. */
async function scheduled(): Promise<StoredMessage> {
  const stored = storedMessage();
  stored.message.status = 'scheduled';
  stored.message.sendAt = iso(86_400_000);
  stored.recipients[2]!.status = 'rejected';
  await store.create(stored);
  return stored;
}

describe('DynamoMessageStore.cancel', () => {
  it('cancels a scheduled message and its waiting recipients; a claim afterwards finds nothing to do', async () => {
    const stored = await scheduled();
    const [zoe, adam, bob] = stored.recipients.map((r) => r.email);
    const result = await store.cancel(stored.message.id, 'tenant-a', AT);
    expect(result).toMatchObject({ kind: 'canceled', recipients: [zoe, adam] });
    const after = await store.get(stored.message.id);
    expect(after?.message).toMatchObject({ status: 'canceled', updatedAt: AT, attempts: 0, sendAt: stored.message.sendAt });
    expect(after?.recipients.map((r) => [r.email, r.status])).toEqual([
      [zoe, 'canceled'],
      [adam, 'canceled'],
      [bob, 'rejected'],
    ]);
    // The bodies stay: the message can still be read.
    expect(after?.message.content.text).toBe(stored.message.content.text);
    expect(await store.claim(stored.message.id, 1, T0, T0 + LEASE)).toEqual({ kind: 'done' });
    expect((await store.get(stored.message.id))?.message).not.toHaveProperty('leaseUntil');
  });

  it('answers a second cancel as the first, without writing again', async () => {
    const stored = await scheduled();
    const first = await store.cancel(stored.message.id, 'tenant-a', AT);
    const again = await store.cancel(stored.message.id, 'tenant-a', iso(9000));
    expect(again).toEqual(first);
    expect((await store.get(stored.message.id))?.message.updatedAt).toBe(AT);
  });

  it('cancels a queued message, and one whose claim was given back unused', async () => {
    const queued = storedMessage();
    await store.create(queued);
    expect(await store.cancel(queued.message.id, 'tenant-a', AT)).toMatchObject({ kind: 'canceled' });
    const released = storedMessage();
    await store.create(released);
    await store.claim(released.message.id, 1, T0, T0 + LEASE);
    expect(await store.release(released.message.id, 1, T0 + LEASE)).toBe(true);
    expect(await store.cancel(released.message.id, 'tenant-a', AT)).toMatchObject({ kind: 'canceled' });
  });

  it('refuses once delivery claimed the message, and after it finished', async () => {
    const stored = await scheduled();
    await store.claim(stored.message.id, 1, T0, T0 + LEASE);
    expect(await store.cancel(stored.message.id, 'tenant-a', AT)).toEqual({ kind: 'refused', status: 'scheduled' });
    await store.complete(
      stored.message.id,
      1,
      stored.recipients.slice(0, 2).map((r) => ({ ...r, status: 'sent', attempts: 1 })),
      'sent',
      AT,
    );
    expect(await store.cancel(stored.message.id, 'tenant-a', AT)).toEqual({ kind: 'refused', status: 'sent' });
    expect((await store.get(stored.message.id))?.message.status).toBe('sent');
  });

  it("does not see another tenant's message, nor one that does not exist", async () => {
    const stored = await scheduled();
    expect(await store.cancel(stored.message.id, 'tenant-b', AT)).toEqual({ kind: 'missing' });
    expect(await store.cancel('m-unknown', 'tenant-a', AT)).toEqual({ kind: 'missing' });
    expect((await store.get(stored.message.id))?.message.status).toBe('scheduled');
  });

  it('lets exactly one of a claim and a cancel racing for the same message win', async () => {
    for (let round = 0; round < 12; round++) {
      const stored = await scheduled();
      const [claim, cancel] = await Promise.all([
        store.claim(stored.message.id, 1, T0, T0 + LEASE),
        store.cancel(stored.message.id, 'tenant-a', AT),
      ]);
      const after = (await store.get(stored.message.id))!.message;
      if (claim.kind === 'claimed') {
        expect(cancel).toEqual({ kind: 'refused', status: 'scheduled' });
        expect(after).toMatchObject({ status: 'scheduled', attempts: 1 });
      } else {
        expect(claim).toEqual({ kind: 'done' });
        expect(cancel).toMatchObject({ kind: 'canceled' });
        expect(after).toMatchObject({ status: 'canceled', attempts: 0 });
      }
    }
  });
});
