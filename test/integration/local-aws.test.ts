import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { DynamoMessageFeed } from '../../lib/adapters/dynamodb/message-feed.ts';
import { createTables, localTableNames } from '../../lib/local/create-tables.ts';
import { SEND_QUEUE, STREAM_SOURCES, TABLES } from '../../lib/topology.ts';
import { dynamoClient, freshQueues, freshTables, partitionRecords, sqsClient, uniquePrefix } from '../support/local-aws.ts';

describe('local AWS parts built from the topology', () => {
  it('creates every table with its keys, and a stream on events and messages', async () => {
    const client = dynamoClient();
    const names = await freshTables(client);
    for (const table of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
      const described = await client.send(new DescribeTableCommand({ TableName: names[table] }));
      expect(described.Table?.KeySchema?.[0]?.AttributeName).toBe(TABLES[table].partitionKey.name);
    }
    expect(names.eventsStreamArn).toMatch(/stream/);
    expect(names.messagesStreamArn).toMatch(/stream/);
    const messages = await client.send(new DescribeTableCommand({ TableName: names.messages }));
    expect(messages.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byTenant', 'byStatus']);
  });

  describe('a messages table made before the byStatus index, as a kept data folder has it', () => {
    const client = dynamoClient();
    const item = {
      pk: { S: '01JD0000000000000000000001' },
      sk: { S: '#' },
      tenant: { S: 'acme' },
      createdAt: { S: '2026-03-01T10:00:00.000Z' },
    };

    /** The table as that version made it, with one message item. */
    async function oldTable(name: string): Promise<void> {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: ['pk', 'sk', 'tenant', 'createdAt'].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byTenant',
              KeySchema: [
                { AttributeName: 'tenant', KeyType: 'HASH' },
                { AttributeName: 'createdAt', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
      await client.send(new PutItemCommand({ TableName: name, Item: item }));
    }

    /** The table has both indexes, a working byStatus, its item, and no copy is left. */
    async function expectRebuilt(names: ReturnType<typeof localTableNames>): Promise<void> {
      const messages = await client.send(new DescribeTableCommand({ TableName: names.messages }));
      expect(messages.Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.IndexStatus, i.Projection?.ProjectionType])).toEqual([
        ['byTenant', 'ACTIVE', 'KEYS_ONLY'],
        ['byStatus', 'ACTIVE', 'KEYS_ONLY'],
      ]);
      expect((await client.send(new GetItemCommand({ TableName: names.messages, Key: { pk: item.pk, sk: item.sk } }))).Item).toEqual(item);
      await expect(
        new DynamoMessageFeed(client, names).page('acme', { status: 'failed' }, { limit: 10, now: Date.now() }),
      ).resolves.toEqual({ items: [] });
      const { TableNames = [] } = await client.send(new ListTablesCommand({}));
      expect(TableNames.filter((t) => t.endsWith('-rebuild'))).toEqual([]);
      await expectStreamWithoutCopies(names.messages);
    }

    /** The table has the topology's stream, and the items it had before bring the stream function nothing (they would be counted again). */
    async function expectStreamWithoutCopies(name: string): Promise<void> {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
      const source = STREAM_SOURCES.find((s) => s.table === 'messages')!;
      expect(await partitionRecords(Table!.LatestStreamArn!, source, item.pk.S)).toEqual([]);
    }

    it('gets the stream of the messages table when it has its indexes but no stream, keeping its items', async () => {
      const names = localTableNames(uniquePrefix());
      await oldTable(names.messages);
      await createTables(client, names);
      // As the version before the stream left it: both indexes, no stream.
      await client.send(new UpdateTableCommand({ TableName: names.messages, StreamSpecification: { StreamEnabled: false } }));
      await createTables(client, names);
      expect((await client.send(new GetItemCommand({ TableName: names.messages, Key: { pk: item.pk, sk: item.sk } }))).Item).toEqual(item);
      await expectStreamWithoutCopies(names.messages);
    });

    it('is rebuilt with the new index, keeping its items, and left alone afterwards', async () => {
      const names = localTableNames(uniquePrefix());
      await oldTable(names.messages);
      await createTables(client, names);
      await expectRebuilt(names);
      await createTables(client, names);
      await expectRebuilt(names);
    });

    it('gets its items back from a rebuild cut off after the table was deleted', async () => {
      const names = localTableNames(uniquePrefix());
      await oldTable(`${names.messages}-rebuild`);
      await createTables(client, names);
      await expectRebuilt(names);
    });

    it('is rebuilt from itself when a rebuild was cut off while copying', async () => {
      const names = localTableNames(uniquePrefix());
      await oldTable(names.messages);
      // A partial copy: made, nothing in it yet.
      await oldTable(`${names.messages}-rebuild`);
      await client.send(new DeleteItemCommand({ TableName: `${names.messages}-rebuild`, Key: { pk: item.pk, sk: item.sk } }));
      await createTables(client, names);
      await expectRebuilt(names);
    });
  });

  it('creates the send queue with a redrive to its DLQ', async () => {
    const client = sqsClient();
    const queues = await freshQueues(client);
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['All'] }));
    const redrive = JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}');
    expect(redrive.maxReceiveCount).toBe(SEND_QUEUE.maxReceiveCount);
    expect(attributes.Attributes?.VisibilityTimeout).toBe(String(SEND_QUEUE.visibilityTimeoutSeconds));
  });
});
