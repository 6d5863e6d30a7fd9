import { describe, expect, it } from 'vitest';
import {
  AwsRequestCounter,
  consumedByTable,
  itemSize,
  numberSize,
  operationOf,
  serviceOf,
  sqsBilledRequests,
  sqsPayloadBytes,
  unreportedReadUnits,
  writeUnits,
  type CommandContext,
  type InstrumentableClient,
} from '../../../bench/aws-counter.ts';

const schemas = {
  messages: { keys: ['pk', 'sk'], indexes: [{ name: 'byTenant', keys: ['tenant', 'createdAt'] }] },
  reports: { keys: ['pk', 'sk'], indexes: [] },
};
const counter = () => new AwsRequestCounter('bench-', schemas);
const op = (c: AwsRequestCounter, operation: string) => c.snapshot().operations.find((o) => o.operation === operation)!;

describe('names', () => {
  it('strips the SDK suffixes', () => {
    expect(serviceOf('DynamoDBClient')).toBe('DynamoDB');
    expect(serviceOf('DynamoDBStreamsClient')).toBe('DynamoDBStreams');
    expect(serviceOf(undefined)).toBe('Unknown');
    expect(operationOf('TransactWriteItemsCommand')).toBe('TransactWriteItems');
  });
});

describe('item sizes', () => {
  it('counts names and values by DynamoDB’s rules', () => {
    expect(numberSize('0')).toBe(2);
    expect(numberSize('123')).toBe(3);
    expect(numberSize('-12.50')).toBe(3);
    // Leading and trailing zeros are not significant.
    expect(numberSize('1700000000000')).toBe(2);
    expect(numberSize('1764288000')).toBe(5);
    // "pk" 2 + "abc" 3, "n" 1 + 3, "ok" 2 + 1
    expect(itemSize({ pk: { S: 'abc' }, n: { N: '123' }, ok: { BOOL: true } })).toBe(12);
    // a map: 3 bytes, then per entry its name, its value and 1 byte
    expect(itemSize({ m: { M: { a: { S: 'xy' } } } })).toBe(1 + 3 + 1 + 2 + 1);
    expect(itemSize({ l: { L: [{ S: 'a' }, { S: 'b' }] } })).toBe(1 + 3 + 2 + 2);
    expect(itemSize({ é: { S: 'é' } })).toBe(4);
  });

  it('bills one write unit per started KB', () => {
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
  });
});

describe('consumed capacity', () => {
  it('reads one entry or a list, with index units apart', () => {
    expect(consumedByTable({})).toEqual([]);
    expect(
      consumedByTable({
        ConsumedCapacity: {
          TableName: 't',
          CapacityUnits: 6,
          Table: { CapacityUnits: 3 },
          GlobalSecondaryIndexes: { g: { CapacityUnits: 3 } },
        },
      }),
    ).toEqual([{ table: 't', units: 6, indexUnits: 3 }]);
    expect(
      consumedByTable({
        ConsumedCapacity: [
          { TableName: 'a', CapacityUnits: 1 },
          { TableName: 'b', CapacityUnits: 2 },
        ],
      }),
    ).toEqual([
      { table: 'a', units: 1, indexUnits: 0 },
      { table: 'b', units: 2, indexUnits: 0 },
    ]);
  });

  it('adds the reads DynamoDB Local leaves out', () => {
    const keys = [{ pk: { S: 'a' } }, { pk: { S: 'b' } }, { pk: { S: 'c' } }];
    expect(
      unreportedReadUnits('BatchGetItem', { RequestItems: { t: { Keys: keys, ConsistentRead: true } } }, { Responses: { t: [{}] } }),
    ).toEqual([{ table: 't', units: 2 }]);
    expect(
      unreportedReadUnits(
        'BatchGetItem',
        { RequestItems: { t: { Keys: keys } } },
        { Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [keys[0]] } } },
      ),
    ).toEqual([{ table: 't', units: 1 }]);
    expect(unreportedReadUnits('Query', { TableName: 't', ConsistentRead: true }, { Items: [] })).toEqual([{ table: 't', units: 1 }]);
    expect(unreportedReadUnits('Query', { TableName: 't' }, { Items: [{}] })).toEqual([]);
    expect(unreportedReadUnits('GetItem', { TableName: 't' }, {})).toEqual([]);
  });
});

describe('SQS billing', () => {
  it('bills per started 64 KB of messages sent or received', () => {
    expect(sqsPayloadBytes('SendMessageBatch', { Entries: [{ MessageBody: 'abcd' }, { MessageBody: 'ef' }] }, {})).toBe(6);
    expect(
      sqsPayloadBytes('SendMessage', { MessageBody: 'ab', MessageAttributes: { reason: { DataType: 'String', StringValue: 'xyz' } } }, {}),
    ).toBe(2 + 6 + 6 + 3);
    expect(sqsPayloadBytes('ReceiveMessage', {}, { Messages: [{ Body: 'abc' }] })).toBe(3);
    expect(sqsPayloadBytes('DeleteMessageBatch', {}, {})).toBe(0);
    expect(sqsBilledRequests(0)).toBe(1);
    expect(sqsBilledRequests(64 * 1024)).toBe(1);
    expect(sqsBilledRequests(64 * 1024 + 1)).toBe(2);
  });
});

describe('AwsRequestCounter', () => {
  it('counts calls, HTTP attempts, errors and empty receives', () => {
    const c = counter();
    c.record({ service: 'SQS', operation: 'ReceiveMessage', input: {}, output: { Messages: [] } });
    c.record({
      service: 'SQS',
      operation: 'ReceiveMessage',
      input: {},
      output: { Messages: [{ Body: 'x'.repeat(70_000) }], $metadata: { attempts: 1 } },
    });
    c.record({
      service: 'SQS',
      operation: 'SendMessageBatch',
      input: { Entries: [{ MessageBody: 'job' }] },
      output: { $metadata: { attempts: 2 } },
    });
    c.record({
      service: 'SQS',
      operation: 'SendMessageBatch',
      input: { Entries: [] },
      error: Object.assign(new Error('boom'), { $metadata: { attempts: 3 } }),
    });
    const receive = op(c, 'ReceiveMessage');
    expect(receive).toMatchObject({ calls: 2, requests: 2, empty: 1, billedRequests: 2 });
    expect(op(c, 'SendMessageBatch')).toMatchObject({ calls: 2, requests: 5, errors: 1, billedRequests: 5 });
  });

  it('sums the capacity DynamoDB Local reports for single writes and reads, by logical table', () => {
    const c = counter();
    c.record({
      service: 'DynamoDB',
      operation: 'UpdateItem',
      input: { TableName: 'bench-messages', Key: { pk: { S: 'm1' }, sk: { S: '#' } } },
      output: {
        ConsumedCapacity: {
          TableName: 'bench-messages',
          CapacityUnits: 4,
          Table: { CapacityUnits: 2 },
          GlobalSecondaryIndexes: { byTenant: { CapacityUnits: 2 } },
        },
      },
    });
    c.record({
      service: 'DynamoDB',
      operation: 'BatchGetItem',
      input: { RequestItems: { 'bench-suppressions': { Keys: [{ pk: { S: 't' }, sk: { S: 'a@x' } }], ConsistentRead: true } } },
      output: { Responses: { 'bench-suppressions': [] }, ConsumedCapacity: [{ TableName: 'bench-suppressions', CapacityUnits: 0 }] },
    });
    expect(op(c, 'UpdateItem')).toMatchObject({ writeUnits: 4, readUnits: 0, estimatedUnits: 0 });
    expect(op(c, 'BatchGetItem')).toMatchObject({ readUnits: 1, estimatedUnits: 1 });
    expect(c.snapshot().tables).toEqual({
      messages: { readUnits: 0, writeUnits: 4, indexWriteUnits: 2 },
      suppressions: { readUnits: 1, writeUnits: 0, indexWriteUnits: 0 },
    });
  });

  it('computes transactions per item: 2 units per started KB, 1 per index that holds the item', () => {
    const c = counter();
    const body = 'x'.repeat(1500);
    const message = { pk: { S: 'm1' }, sk: { S: '#' }, tenant: { S: 'dev' }, createdAt: { S: '2026-11-28T00:00:00Z' }, text: { S: body } };
    const recipient = { pk: { S: 'm1' }, sk: { S: 'r#a@example.org' }, status: { S: 'queued' } };
    c.record({
      service: 'DynamoDB',
      operation: 'TransactWriteItems',
      input: {
        TransactItems: [{ Put: { TableName: 'bench-messages', Item: message } }, { Put: { TableName: 'bench-messages', Item: recipient } }],
      },
      // DynamoDB Local sums the sizes first: (1.6 KB + 0.1 KB) → 2 KB → 4, and doubles the index.
      output: { ConsumedCapacity: [{ TableName: 'bench-messages', CapacityUnits: 8 }] },
    });
    // message: 2 × 2 + index 2; recipient: 2 × 1
    expect(op(c, 'TransactWriteItems')).toMatchObject({ writeUnits: 8, estimatedUnits: 8 });
    expect(c.snapshot().tables.messages).toEqual({ readUnits: 0, writeUnits: 8, indexWriteUnits: 2 });
    expect(c.snapshot().transactionUnitsReportedByDynamoDbLocal).toBe(8);

    // Updates of items seen before are charged at their known size, in the index too.
    c.reset();
    c.record({
      service: 'DynamoDB',
      operation: 'TransactWriteItems',
      input: {
        TransactItems: [
          {
            Update: {
              TableName: 'bench-messages',
              Key: { pk: { S: 'm1' }, sk: { S: '#' } },
              ExpressionAttributeValues: { ':s': { S: 'sent' } },
            },
          },
          {
            Update: {
              TableName: 'bench-messages',
              Key: { pk: { S: 'm1' }, sk: { S: 'r#a@example.org' } },
              ExpressionAttributeValues: { ':s': { S: 'sent' } },
            },
          },
          {
            Update: {
              TableName: 'bench-reports',
              Key: { pk: { S: 'dev#all' }, sk: { S: '2026-11-28' } },
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ],
      },
      output: {},
    });
    expect(op(c, 'TransactWriteItems').writeUnits).toBe(4 + 2 + 2 + 2);
    expect(c.snapshot().tables).toEqual({
      messages: { readUnits: 0, writeUnits: 8, indexWriteUnits: 2 },
      reports: { readUnits: 0, writeUnits: 2, indexWriteUnits: 0 },
    });
  });

  it('puts units on the partition key values they fell on: items, index entries, queried and batch-read keys', () => {
    const c = counter();
    const message = (id: string) => ({ pk: { S: id }, sk: { S: '#' }, tenant: { S: 'acme' }, createdAt: { S: '2026-12-06T00:00:00Z' } });
    for (const id of ['m1', 'm2'])
      c.record({
        service: 'DynamoDB',
        operation: 'PutItem',
        input: { TableName: 'bench-messages', Item: message(id) },
        output: { ConsumedCapacity: { TableName: 'bench-messages', CapacityUnits: 2 } },
      });
    // A refused conditional update is charged too, at the size known of the item.
    c.record({
      service: 'DynamoDB',
      operation: 'UpdateItem',
      input: { TableName: 'bench-reports', Key: { pk: { S: 'acme#all' }, sk: { S: '2026-12-06' } } },
      error: Object.assign(new Error('refused'), { name: 'ConditionalCheckFailedException' }),
    });
    c.record({
      service: 'DynamoDB',
      operation: 'Query',
      input: {
        TableName: 'bench-messages',
        IndexName: 'byTenant',
        KeyConditionExpression: '#t = :t AND createdAt > :after',
        ExpressionAttributeNames: { '#t': 'tenant' },
        ExpressionAttributeValues: { ':t': { S: 'acme' }, ':after': { S: '2026' } },
      },
      output: { Items: [{}], ConsumedCapacity: { TableName: 'bench-messages', CapacityUnits: 0.5 } },
    });
    c.record({
      service: 'DynamoDB',
      operation: 'BatchGetItem',
      input: { RequestItems: { 'bench-reports': { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }] } } },
      output: { Responses: { 'bench-reports': [{}, {}] }, ConsumedCapacity: [{ TableName: 'bench-reports', CapacityUnits: 1 }] },
    });
    const load = Object.fromEntries(c.partitions().map((p) => [`${p.target} ${p.key}`, [p.readUnits, p.writeUnits, p.requests]]));
    expect(load).toEqual({
      'messages m1': [0, 1, 1],
      'messages m2': [0, 1, 1],
      'messages/byTenant acme': [0.5, 2, 3],
      'reports acme#all': [0, 1, 1],
      'reports a': [0.5, 0, 1],
      'reports b': [0.5, 0, 1],
    });
    // The refused update's units are told apart from the writes that were made.
    const refused = Object.fromEntries(c.partitions().map((p) => [`${p.target} ${p.key}`, p.refusedWriteUnits]));
    expect(refused).toMatchObject({ 'reports acme#all': 1, 'messages m1': 0, 'messages/byTenant acme': 0 });
    c.reset();
    expect(c.partitions()).toEqual([]);
  });

  it('prices an index holding some attributes by its entry, and only when an update changes it', () => {
    const c = new AwsRequestCounter('bench-', {
      messages: { keys: ['pk', 'sk'], indexes: [{ name: 'byTenant', keys: ['tenant', 'createdAt'], projected: ['status'] }] },
    });
    const message = {
      pk: { S: 'm1' },
      sk: { S: '#' },
      tenant: { S: 'dev' },
      createdAt: { S: '2026-11-28T00:00:00Z' },
      status: { S: 'queued' },
      text: { S: 'x'.repeat(1500) },
    };
    c.record({
      service: 'DynamoDB',
      operation: 'TransactWriteItems',
      input: { TransactItems: [{ Put: { TableName: 'bench-messages', Item: message } }] },
      output: {},
    });
    // message: 2 × 2; its index entry (keys and status, under 1 KB): 1
    expect(c.snapshot().tables.messages).toEqual({ readUnits: 0, writeUnits: 5, indexWriteUnits: 1 });

    const update = (expression: string, names: Record<string, string>) => ({
      Update: {
        TableName: 'bench-messages',
        Key: { pk: { S: 'm1' }, sk: { S: '#' } },
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':v': { S: 'v' } },
      },
    });
    c.reset();
    c.record({
      service: 'DynamoDB',
      operation: 'TransactWriteItems',
      input: { TransactItems: [update('SET #a = :v REMOVE leaseUntil', { '#a': 'updatedAt' })] },
      output: {},
    });
    expect(c.snapshot().tables.messages).toEqual({ readUnits: 0, writeUnits: 4, indexWriteUnits: 0 });
    c.reset();
    c.record({
      service: 'DynamoDB',
      operation: 'TransactWriteItems',
      input: { TransactItems: [update('SET #s = :v, updatedAt = :v', { '#s': 'status' })] },
      output: {},
    });
    expect(c.snapshot().tables.messages).toEqual({ readUnits: 0, writeUnits: 5, indexWriteUnits: 1 });
  });

  it('learns item sizes from reads, and estimates failed writes', () => {
    const c = counter();
    const big = { pk: { S: 'm2' }, sk: { S: 'r#b@example.org' }, note: { S: 'y'.repeat(3000) } };
    c.record({
      service: 'DynamoDB',
      operation: 'Query',
      input: { TableName: 'bench-messages', ConsistentRead: true },
      output: { Items: [big], ConsumedCapacity: { TableName: 'bench-messages', CapacityUnits: 1 } },
    });
    c.record({
      service: 'DynamoDB',
      operation: 'TransactWriteItems',
      input: { TransactItems: [{ Update: { TableName: 'bench-messages', Key: { pk: { S: 'm2' }, sk: { S: 'r#b@example.org' } } } }] },
      error: new Error('TransactionCanceledException'),
    });
    c.record({
      service: 'DynamoDB',
      operation: 'PutItem',
      input: { TableName: 'bench-events', Item: { pk: { S: 'e' } } },
      error: new Error('ConditionalCheckFailedException'),
    });
    expect(op(c, 'Query')).toMatchObject({ readUnits: 1, estimatedUnits: 0 });
    expect(op(c, 'TransactWriteItems')).toMatchObject({ errors: 1, writeUnits: 6, estimatedUnits: 6 });
    expect(op(c, 'PutItem')).toMatchObject({ errors: 1, writeUnits: 1, estimatedUnits: 1 });
    expect(c.snapshot().tables.events).toEqual({ readUnits: 0, writeUnits: 1, indexWriteUnits: 0 });
  });

  it('hooks a middleware into a client that asks DynamoDB for its capacity', async () => {
    type Middleware = (
      next: (args: { input: object }) => Promise<{ output: object }>,
      context: CommandContext,
    ) => (args: { input: object }) => Promise<{ output: object }>;
    const added: { middleware: Middleware; options: object }[] = [];
    const client: InstrumentableClient = { middlewareStack: { add: (middleware, options) => void added.push({ middleware, options }) } };
    const c = counter();
    c.instrument(client);
    expect(added).toHaveLength(1);
    expect(added[0]!.options).toMatchObject({ step: 'initialize' });

    let seen: object | undefined;
    const next = async (args: { input: object }) => {
      seen = args.input;
      return { output: { ConsumedCapacity: { TableName: 'bench-events', CapacityUnits: 1 } } };
    };
    const call = added[0]!.middleware(next, { clientName: 'DynamoDBClient', commandName: 'PutItemCommand' });
    const original = { TableName: 'bench-events', Item: { pk: { S: 'e1' } } };
    await call({ input: original });
    expect(seen).toEqual({ ...original, ReturnConsumedCapacity: 'INDEXES' });
    expect(original).not.toHaveProperty('ReturnConsumedCapacity');
    expect(op(c, 'PutItem')).toMatchObject({ service: 'DynamoDB', calls: 1, writeUnits: 1 });

    const failing = added[0]!.middleware(async () => Promise.reject(new Error('down')), {
      clientName: 'SQSClient',
      commandName: 'SendMessageBatchCommand',
    });
    await expect(failing({ input: { Entries: [] } })).rejects.toThrow('down');
    expect(op(c, 'SendMessageBatch')).toMatchObject({ service: 'SQS', errors: 1 });
  });
});
