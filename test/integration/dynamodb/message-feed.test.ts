/** DynamoMessageFeed on DynamoDB Local: what a page reads, and what it leaves out. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupPartition, shardOf } from '../../../lib/adapters/dynamodb/feed-keys.ts';
import { DynamoMessageFeed } from '../../../lib/adapters/dynamodb/message-feed.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import type { TableNames } from '../../../lib/config.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, iso, storedMessage, uniqueId } from './factories.ts';

const client = dynamoClient();
let tables: TableNames;
let store: DynamoMessageStore;

beforeAll(async () => {
  tables = await freshTables(client);
  store = new DynamoMessageStore(client, tables.messages, { feedTable: tables.feed });
});
afterAll(() => client.destroy());

/** Claims attempt 1 of a message and ends it deferred. */
async function defer(id: string): Promise<void> {
  const claimed = await store.claim(id, 1, T0, T0 + 60_000);
  if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
  const recipients = claimed.stored.recipients.map((r) => ({ ...r, status: 'deferred' as const, attempts: 1, updatedAt: iso(1000) }));
  await store.complete(id, 1, recipients, 'deferred', iso(1000));
}

describe('DynamoMessageFeed', () => {
  const tenant = uniqueId('tenant');
  const ids: string[] = [];

  beforeAll(async () => {
    // Twelve messages, the oldest three deferred: a page for `deferred` finds them at once, one
    // for `sent` (read from the tenant's messages) only by reading the others first.
    for (let i = 0; i < 12; i++) {
      const stored = storedMessage({ tenant, createdAt: iso(i * 1000), recipients: [`r${i}@example.com`] });
      await store.create(stored);
      if (i < 3) await defer(stored.message.id);
      ids.push(stored.message.id);
    }
  });

  it('reads at most maxExamined messages a page: a short page, even an empty one, comes with a cursor', async () => {
    const feed = new DynamoMessageFeed(client, tables, { maxExamined: 4 });
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await feed.page(tenant, { status: 'deferred' }, { limit: 2, now: Date.now(), ...(cursor && { cursor }) });
      pages.push(page.items.map((m) => m.id));
      cursor = page.cursor;
    } while (cursor);
    expect(pages.flat()).toEqual(ids.slice(0, 3).reverse());
    // Served by the index: no page reads past what it lists.
    expect(pages).toEqual([ids.slice(1, 3).reverse(), [ids[0]]]);

    const queued: string[][] = [];
    cursor = undefined;
    do {
      const page = await feed.page(
        tenant,
        { status: 'queued', before: iso(5000) },
        { limit: 10, now: Date.now(), ...(cursor && { cursor }) },
      );
      queued.push(page.items.map((m) => m.id));
      cursor = page.cursor;
    } while (cursor);
    // Five messages before the time, two of them queued: four are read for the first page.
    expect(queued).toEqual([ids.slice(3, 5).reverse(), []]);
  });

  it('leaves out an entry whose message is not there', async () => {
    const orphan = uniqueId('m');
    await client.send(
      new PutItemCommand({
        TableName: tables.feed,
        Item: marshall({ pk: lookupPartition(tenant, 'to', 'r11@example.com', shardOf(orphan)), sk: `${iso(99_000)}#${orphan}` }),
      }),
    );
    const page = await new DynamoMessageFeed(client, tables).page(tenant, { recipient: 'r11@example.com' }, { limit: 10, now: Date.now() });
    expect(page).toEqual({ items: [expect.objectContaining({ id: ids[11] })] });
  });
});
