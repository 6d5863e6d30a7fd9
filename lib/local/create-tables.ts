/** Creates the tables of lib/topology.ts in DynamoDB Local (what CDK does in AWS). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type AttributeDefinition,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type IndexProjection, type TableDef, type TableName } from '../topology.ts';
import type { TableNames } from '../config.ts';

/** Table names for a prefix, e.g. `mailroom-messages`. */
export function localTableNames(prefix = 'mailroom'): TableNames {
  const names = {} as TableNames;
  for (const table of Object.keys(TABLES) as TableName[]) names[table] = `${prefix}-${table}`;
  return names;
}

/** Creates every table that does not exist yet; returns the events table's stream ARN. */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<{ eventsStreamArn: string }> {
  for (const table of Object.keys(TABLES) as TableName[]) {
    await createTable(client, names[table], TABLES[table]);
  }
  const events = await client.send(new DescribeTableCommand({ TableName: names.events }));
  const arn = events.Table?.LatestStreamArn;
  if (!arn) throw new Error(`table ${names.events} has no stream`);
  return { eventsStreamArn: arn };
}

async function createTable(client: DynamoDBClient, name: string, def: TableDef): Promise<void> {
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
        ...(def.stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } }),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  if (def.ttlAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } }),
    );
  }
}

/** A topology projection as CreateTable takes it (ALL when absent). */
function projection(def: IndexProjection = { type: 'ALL' }): Projection {
  return def.type === 'INCLUDE' ? { ProjectionType: 'INCLUDE', NonKeyAttributes: def.attributes } : { ProjectionType: def.type };
}
