/**
 * Message records of a page of the messages table's `byTenant` index. The index holds keys
 * only (lib/topology.ts), so the message items are read by key, and returned in the page's order.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MessageRecord } from '../../domain/message.ts';
import { batchGetAll } from './batch-get.ts';
import { fromItem, toItem, type Item } from './marshalling.ts';
import { MESSAGE_SK, toMessageRecord } from './message-items.ts';

/**
 * The message items named by index entries, in the entries' order. A message whose item is
 * gone (expired between the Query and the read) is left out.
 */
export async function messagesOfPage(client: DynamoDBClient, tableName: string, entries: Item[]): Promise<MessageRecord[]> {
  const ids = entries.map((entry) => String(fromItem(entry).pk));
  if (ids.length === 0) return [];
  const items = await batchGetAll(
    client,
    tableName,
    [...new Set(ids)].map((id) => toItem({ pk: id, sk: MESSAGE_SK })),
  );
  const byId = new Map(items.map((item) => [String(item.pk), item]));
  return ids.flatMap((id) => {
    const item = byId.get(id);
    return item ? [toMessageRecord(item)] : [];
  });
}
