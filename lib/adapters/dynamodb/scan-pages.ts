/** Reads a Scan page by page. */
import { ScanCommand, type DynamoDBClient, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { fromItem, type Item } from './marshalling.ts';

/** Yields each page's unmarshalled items until the last page, so a caller never holds the whole table. */
export async function* scanPages(client: DynamoDBClient, input: ScanCommandInput): AsyncGenerator<Record<string, unknown>[]> {
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    yield (page.Items ?? []).map(fromItem);
    start = page.LastEvaluatedKey;
  } while (start);
}
