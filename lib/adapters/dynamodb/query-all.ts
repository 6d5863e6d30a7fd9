/** Reads every page of a Query. */
import { QueryCommand, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { fromItem, type Item } from './marshalling.ts';

/**
 * Runs a Query to its last page and returns the unmarshalled items in key order. Meant for
 * bounded partitions (one message, one report range); paged listings use a cursor instead.
 */
export async function queryAll(client: DynamoDBClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.push(fromItem(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
