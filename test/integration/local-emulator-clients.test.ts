/**
 * The clients local mode builds for its own emulators (emulatorClientConfig, leanEmulatorClient):
 * requests that DynamoDB Local and the SQS emulator answer as they answer signed ones, under the
 * database of the client's key, without a computed signature or a user agent.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { EMULATOR_CREDENTIALS, emulatorClientConfig, leanEmulatorClient, localClientConfig } from '../../lib/local/aws.ts';
import { freshQueues, uniquePrefix } from '../support/local-aws.ts';

const dynamoEndpoint = inject('dynamoEndpoint');
const clients: { destroy(): void }[] = [];
afterAll(() => clients.forEach((client) => client.destroy()));

function dynamo(credentials = EMULATOR_CREDENTIALS): DynamoDBClient {
  const client = leanEmulatorClient(new DynamoDBClient(emulatorClientConfig(dynamoEndpoint, credentials)));
  clients.push(client);
  return client;
}

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
}

describe('clients of the emulators', () => {
  it("reach the database of their key in DynamoDB Local, the one a signing client of that key reaches, and no other key's", async () => {
    const table = `${uniquePrefix()}-items`;
    await createTable(dynamo(), table);
    await dynamo().send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, n: { N: '1' } } }));

    const signing = new DynamoDBClient(localClientConfig(dynamoEndpoint));
    clients.push(signing);
    const read = await signing.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } }, ConsistentRead: true }));
    expect(read.Item).toEqual({ pk: { S: 'a' }, n: { N: '1' } });

    const other = { accessKeyId: `OTHER${uniquePrefix().toUpperCase()}`, secretAccessKey: 'other' };
    const tables = await dynamo(other).send(new ListTablesCommand({}));
    expect(tables.TableNames ?? []).not.toContain(table);
  });

  it('read the events stream and use the SQS emulator', async () => {
    const streams = leanEmulatorClient(new DynamoDBStreamsClient(emulatorClientConfig(dynamoEndpoint)));
    clients.push(streams);
    const listed = await streams.send(new ListStreamsCommand({}));
    expect(Array.isArray(listed.Streams)).toBe(true);

    const sqs = leanEmulatorClient(new SQSClient(emulatorClientConfig(inject('sqsEndpoint'))));
    clients.push(sqs);
    const { queueUrl } = await freshQueues(sqs);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['hello']);
  });

  it('send a fixed Authorization header naming the key, and no user agent, through middleware added before the first request', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end('{"TableNames":[]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const key = { accessKeyId: 'MRLOCALKEY123', secretAccessKey: 'not-sent' };
      const client = leanEmulatorClient(new DynamoDBClient({ ...emulatorClientConfig(endpoint, key), maxAttempts: 1 }));
      clients.push(client);
      let counted = 0;
      client.middlewareStack.add(
        (next) => (args) => {
          counted += 1;
          return next(args);
        },
        { step: 'initialize', name: 'countRequests' },
      );
      for (let i = 0; i < 3; i++) await client.send(new ListTablesCommand({}));

      expect(counted).toBe(3);
      expect(seen).toHaveLength(3);
      const [first] = seen;
      expect(first?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=MRLOCALKEY123\/\d{8}\/us-east-1\/local\/aws4_request, /);
      expect(new Set(seen.map((headers) => headers.authorization)).size).toBe(1);
      expect(first?.authorization).not.toContain('not-sent');
      expect(first?.['x-amz-user-agent']).toBeUndefined();
      expect(first?.['user-agent']).toBeUndefined();
      expect(first?.['x-amz-target']).toBe('DynamoDB_20120810.ListTables');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
