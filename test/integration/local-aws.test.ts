import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SEND_QUEUE, TABLES } from '../../lib/topology.ts';
import { dynamoClient, freshQueues, freshTables, sqsClient } from '../support/local-aws.ts';

describe('local AWS parts built from the topology', () => {
  it('creates every table with its keys, and a stream on events', async () => {
    const client = dynamoClient();
    const names = await freshTables(client);
    for (const table of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
      const described = await client.send(new DescribeTableCommand({ TableName: names[table] }));
      expect(described.Table?.KeySchema?.[0]?.AttributeName).toBe(TABLES[table].partitionKey.name);
    }
    expect(names.eventsStreamArn).toMatch(/stream/);
    const messages = await client.send(new DescribeTableCommand({ TableName: names.messages }));
    expect(messages.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byTenant']);
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
