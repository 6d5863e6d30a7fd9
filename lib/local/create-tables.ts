/**
 * Creates the tables of lib/topology.ts in DynamoDB Local (what CDK does in AWS), and brings a
 * table that an earlier version made (a data folder kept across upgrades) to the topology's
 * indexes by rebuilding it: DynamoDB Local builds an index added to an existing table
 * (UpdateTable) unreliably, often never leaving CREATING, while a table created with its
 * indexes always has them.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type AttributeDefinition,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import { batchWriteAll, putRequests } from '../adapters/dynamodb/batch-write.ts';
import type { Item } from '../adapters/dynamodb/marshalling.ts';
import type { Log } from '../ports/logger.ts';
import { TABLES, type IndexProjection, type TableDef, type TableName } from '../topology.ts';
import type { TableNames } from '../config.ts';

/** Suffix of the table a rebuild keeps the items in while the table is made again. */
const REBUILD_SUFFIX = '-rebuild';

/** Table names for a prefix, e.g. `mailroom-messages`. */
export function localTableNames(prefix = 'mailroom'): TableNames {
  const names = {} as TableNames;
  for (const table of Object.keys(TABLES) as TableName[]) names[table] = `${prefix}-${table}`;
  return names;
}

/** The streams of the tables that feed the stream function (STREAM_SOURCES). */
export interface StreamArns {
  eventsStreamArn: string;
  messagesStreamArn: string;
}

/**
 * Creates every table that does not exist yet, and rebuilds one that lacks an index of the
 * topology (finishing a rebuild that was cut off first); returns the ARNs of the tables' streams.
 */
export async function createTables(client: DynamoDBClient, names: TableNames, log?: Log): Promise<StreamArns> {
  const streams = new Map<TableName, string>();
  for (const table of Object.keys(TABLES) as TableName[]) {
    const name = names[table];
    const def: TableDef = TABLES[table];
    await finishRebuild(client, name, def);
    const missing = (await createTable(client, name, def)) ? [] : await missingIndexes(client, name, def);
    if (missing.length > 0) {
      log?.warn('rebuilding a table to add its new indexes (once)', { table: name, indexes: missing });
      await rebuild(client, name, def);
    }
    const arn = await ensureStream(client, name, def);
    if (arn) streams.set(table, arn);
  }
  const streamOf = (table: TableName) => {
    const arn = streams.get(table);
    if (!arn) throw new Error(`table ${names[table]} has no stream`);
    return arn;
  };
  return { eventsStreamArn: streamOf('events'), messagesStreamArn: streamOf('messages') };
}

/**
 * Creates a table with its keys, indexes, stream (unless `withStream` is false) and TTL; false
 * when it exists already.
 */
async function createTable(client: DynamoDBClient, name: string, def: TableDef, withStream = true): Promise<boolean> {
  const attributes = new Map<string, AttributeDefinition>();
  const add = (key: { name: string; type: 'S' | 'N' }) => attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  const keySchema = (pk: TableDef['partitionKey'], sk?: TableDef['sortKey']) => {
    add(pk);
    if (sk) add(sk);
    return [{ AttributeName: pk.name, KeyType: 'HASH' as const }, ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : [])];
  };
  const KeySchema = keySchema(def.partitionKey, def.sortKey);
  const GlobalSecondaryIndexes = def.indexes?.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: projection(index.projection),
  }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes.values()],
        KeySchema,
        ...(GlobalSecondaryIndexes?.length && { GlobalSecondaryIndexes }),
        ...(def.stream && withStream && { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } }),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
  if (def.ttlAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } }),
    );
  }
  return true;
}

/**
 * Turns on the topology's stream of table `name` when it has none (a table an earlier version
 * made, or one just rebuilt), and returns its ARN (undefined for a table without a stream). A
 * rebuilt table gets its stream only after its items are back, so that copying them in brings
 * the stream function no records: they would count again what was counted long ago.
 */
async function ensureStream(client: DynamoDBClient, name: string, def: TableDef): Promise<string | undefined> {
  if (!def.stream) return undefined;
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  const current = described.Table?.StreamSpecification;
  if (current?.StreamEnabled && current.StreamViewType === def.stream) return described.Table?.LatestStreamArn;
  if (current?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
  }
  const updated = await client.send(
    new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } }),
  );
  return updated.TableDescription?.LatestStreamArn;
}

/** The topology's indexes that table `name` lacks. */
async function missingIndexes(client: DynamoDBClient, name: string, def: TableDef): Promise<string[]> {
  const described = await client.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return (def.indexes ?? []).map((index) => index.name).filter((index) => !present.has(index));
}

async function exists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** Copies every item of one table into another, a page at a time. */
async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<void> {
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start, Limit: 500 }));
    await batchWriteAll(client, to, putRequests(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
}

async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name }));
  while (await exists(client, name)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Makes table `name` again with the topology's indexes, keeping its items: copies them to
 * `<name>-rebuild`, deletes the table, and lets finishRebuild make it and copy them back. The
 * table is deleted only once the copy is whole, so a rebuild cut off anywhere loses nothing.
 */
async function rebuild(client: DynamoDBClient, name: string, def: TableDef): Promise<void> {
  const copy = `${name}${REBUILD_SUFFIX}`;
  await createTable(client, copy, def, false);
  await copyItems(client, name, copy);
  await deleteTable(client, name);
  await finishRebuild(client, name, def);
}

/**
 * Finishes a rebuild of table `name` that left its copy behind: without the table, or with the
 * table made again, the copy is whole and goes back (again: puts of the same items change
 * nothing); with the table as it was, the copy may be partial and is dropped. Nothing to do
 * without a copy. The table is left without its stream: createTables turns it on afterwards.
 */
async function finishRebuild(client: DynamoDBClient, name: string, def: TableDef): Promise<void> {
  const copy = `${name}${REBUILD_SUFFIX}`;
  if (!(await exists(client, copy))) return;
  if (!(await createTable(client, name, def, false)) && (await missingIndexes(client, name, def)).length > 0) {
    await deleteTable(client, copy);
    return;
  }
  await copyItems(client, copy, name);
  await deleteTable(client, copy);
}

/** A topology projection as CreateTable takes it (ALL when absent). */
function projection(def: IndexProjection = { type: 'ALL' }): Projection {
  return def.type === 'INCLUDE' ? { ProjectionType: 'INCLUDE', NonKeyAttributes: def.attributes } : { ProjectionType: def.type };
}
