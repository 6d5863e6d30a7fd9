/**
 * The activity feed's keys on DynamoDB Local: every write that changes a message's status keeps
 * the sparse `byStatus` index in step, and the writers that create messages write their lookup
 * entries to the feed table.
 */
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupPartition, shardOf } from '../../../lib/adapters/dynamodb/feed-keys.ts';
import { DynamoMessageBatchWriter } from '../../../lib/adapters/dynamodb/message-batch-writer.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import type { MessageStatus, StoredMessage } from '../../../lib/domain/message.ts';
import type { TableNames } from '../../../lib/config.ts';
import { FEED } from '../../../lib/topology.ts';
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

/** The message item's feed attributes, as stored. */
async function feedAttributes(id: string): Promise<{ statusKey?: string; tenantAt?: string }> {
  const answer = await client.send(
    new GetItemCommand({ TableName: tables.messages, Key: marshall({ pk: id, sk: '#' }), ConsistentRead: true }),
  );
  const { statusKey, tenantAt } = unmarshall(answer.Item!);
  return { ...(statusKey !== undefined && { statusKey }), ...(tenantAt !== undefined && { tenantAt }) };
}

/** Ids in the `byStatus` index for `status` and `tenant`, on every shard. */
async function indexed(status: MessageStatus, tenant: string): Promise<string[]> {
  const ids: string[] = [];
  for (let shard = 0; shard < FEED.shards; shard++) {
    const page = await client.send(
      new QueryCommand({
        TableName: tables.messages,
        IndexName: 'byStatus',
        KeyConditionExpression: 'statusKey = :p AND begins_with(tenantAt, :t)',
        ExpressionAttributeValues: marshall({ ':p': `${status}#${shard}`, ':t': `${tenant}#` }),
      }),
    );
    ids.push(...(page.Items ?? []).map((item) => String(unmarshall(item).pk)));
  }
  return ids;
}

/** Claims attempt 1 and ends it with every recipient (and the message) in `status`. */
async function deliver(stored: StoredMessage, status: MessageStatus, attempt = 1): Promise<void> {
  const id = stored.message.id;
  const claimed = await store.claim(id, attempt, T0 + attempt * 1000, T0 + attempt * 1000 + 60_000);
  if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
  const recipients = claimed.stored.recipients.map((r) => ({ ...r, status, attempts: attempt, updatedAt: iso(attempt * 1000) }));
  await store.complete(id, attempt, recipients, status, iso(attempt * 1000));
}

describe('the byStatus index', () => {
  const tenant = uniqueId('tenant');

  it('takes a message when it is deferred and lets it go when it is sent', async () => {
    const stored = storedMessage({ tenant, recipients: ['ann@example.com'] });
    await store.create(stored);
    const id = stored.message.id;
    expect(await feedAttributes(id)).toEqual({ tenantAt: `${tenant}#${stored.message.createdAt}` });
    await deliver(stored, 'deferred');
    expect(await feedAttributes(id)).toMatchObject({ statusKey: `deferred#${shardOf(id)}` });
    expect(await indexed('deferred', tenant)).toEqual([id]);
    await deliver(stored, 'sent', 2);
    expect(await feedAttributes(id)).not.toHaveProperty('statusKey');
    expect(await indexed('deferred', tenant)).toEqual([]);
  });

  it('follows markFailed and requeueFailed', async () => {
    const stored = storedMessage({ tenant });
    await store.create(stored);
    await store.markFailed(stored.message.id, iso(1000));
    expect(await indexed('failed', tenant)).toEqual([stored.message.id]);
    await store.requeueFailed(stored.message.id, iso(2000));
    expect(await indexed('failed', tenant)).toEqual([]);
    expect(await feedAttributes(stored.message.id)).not.toHaveProperty('statusKey');
  });

  it('follows the message’s status when outcomes come in, not one recipient’s', async () => {
    const stored = storedMessage({ tenant, recipients: ['zoe@example.com', 'adam@example.com'] });
    await store.create(stored);
    await deliver(stored, 'sent');
    const id = stored.message.id;
    const outcome = (email: string, status: MessageStatus, ms: number) => store.recordOutcome(id, { email, status, at: iso(ms) });
    // One bounce of two: the message counts as sent while the other is sent.
    expect(await outcome('zoe@example.com', 'bounced', 5000)).toMatchObject({ kind: 'applied', messageStatus: 'sent' });
    expect(await indexed('bounced', tenant)).toEqual([]);
    expect(await outcome('adam@example.com', 'bounced', 6000)).toMatchObject({ kind: 'applied', messageStatus: 'bounced' });
    expect(await indexed('bounced', tenant)).toEqual([id]);
  });

  it('holds a scheduled message from its creation, and moves it to canceled when it is canceled', async () => {
    const stored = storedMessage({ tenant: uniqueId('tenant') });
    const { id, tenant } = stored.message;
    stored.message.status = 'scheduled';
    stored.message.sendAt = iso(86_400_000);
    await store.create(stored);
    expect(await feedAttributes(id)).toMatchObject({ statusKey: `scheduled#${shardOf(id)}` });
    expect(await indexed('scheduled', tenant)).toEqual([id]);
    expect(await store.cancel(id, tenant, iso(5000))).toMatchObject({ kind: 'canceled' });
    expect(await feedAttributes(id)).toMatchObject({ statusKey: `canceled#${shardOf(id)}` });
    expect(await indexed('scheduled', tenant)).toEqual([]);
    expect(await indexed('canceled', tenant)).toEqual([id]);
  });

  it('lets a scheduled message go when its first attempt ends', async () => {
    const stored = storedMessage({ tenant: uniqueId('tenant'), recipients: ['ann@example.com'] });
    stored.message.status = 'scheduled';
    stored.message.sendAt = iso(500);
    await store.create(stored);
    await deliver(stored, 'sent');
    expect(await feedAttributes(stored.message.id)).not.toHaveProperty('statusKey');
    expect(await indexed('scheduled', stored.message.tenant)).toEqual([]);
  });

  it('holds a message that is rejected when it is made', async () => {
    const stored = storedMessage({ tenant: uniqueId('tenant') });
    stored.message.status = 'rejected';
    for (const r of stored.recipients) r.status = 'rejected';
    await store.create(stored);
    expect(await indexed('rejected', stored.message.tenant)).toEqual([stored.message.id]);
  });
});

describe('lookup entries', () => {
  async function entries(tenant: string, kind: 'to' | 'tag' | 'campaign' | 'template', value: string, id: string): Promise<string[]> {
    const page = await client.send(
      new QueryCommand({
        TableName: tables.feed,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: marshall({ ':pk': lookupPartition(tenant, kind, value, shardOf(id)) }),
      }),
    );
    return (page.Items ?? []).map((item) => String(unmarshall(item).sk));
  }

  it('are written by create, once per recipient and tag, and again harmlessly by a retry', async () => {
    const stored = storedMessage({ tenant: uniqueId('tenant') });
    const { id, tenant, createdAt } = stored.message;
    await store.create(stored);
    await expect(store.create(stored)).rejects.toMatchObject({ name: 'MessageExistsError' });
    for (const email of stored.recipients.map((r) => r.email))
      expect(await entries(tenant, 'to', email, id)).toEqual([`${createdAt}#${id}`]);
    expect(await entries(tenant, 'tag', 'campaign=spring', id)).toEqual([`${createdAt}#${id}`]);
  });

  it('name the stored template a message was made from by its id, whatever its version', async () => {
    const stored = storedMessage({ tenant: uniqueId('tenant'), recipients: ['eve@example.com'] });
    stored.message.template = { id: '01TEMPLATE', version: 3 };
    await store.create(stored);
    const { id, tenant, createdAt } = stored.message;
    expect(await entries(tenant, 'template', '01TEMPLATE', id)).toEqual([`${createdAt}#${id}`]);
  });

  it('are written by the campaign’s batch writer', async () => {
    const stored = storedMessage({ tenant: uniqueId('tenant'), recipients: ['dora@example.com'] });
    stored.message.campaign = 'C1';
    const writer = new DynamoMessageBatchWriter(client, { messages: tables.messages, events: tables.events, feed: tables.feed });
    await writer.writeNew([stored], []);
    const { id, tenant, createdAt } = stored.message;
    expect(await entries(tenant, 'campaign', 'C1', id)).toEqual([`${createdAt}#${id}`]);
    expect(await entries(tenant, 'to', 'dora@example.com', id)).toEqual([`${createdAt}#${id}`]);
  });
});
