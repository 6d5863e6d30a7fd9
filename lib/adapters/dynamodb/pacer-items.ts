/**
 * The relay pacer's items in the rate-limits table: one per window (epoch second) and shard,
 * `pk = "relay#<second>#<shard>"`, holding a count per slot (`s0`, `s1`, …) and expiring a
 * minute after its window (TTL). A lease adds to the slots it takes in one conditional write:
 * each slot taken must hold no more than its ceiling before the add.
 */
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromItem, toItem, type Item } from './marshalling.ts';

const KEEP_SECONDS = 60;

/** What a lease write found: whether it took, and the item's slot counts (after it if taken, else as they stood). */
export interface LeaseAnswer {
  taken: boolean;
  counts: number[];
}

/**
 * Adds `take[slot]` to each slot of the shard's item for `window`, on the condition that every
 * slot taken holds at most `ceilings[slot]`.
 */
export async function writeLease(
  client: DynamoDBClient,
  tableName: string,
  key: { window: number; shard: number; slots: number },
  take: readonly number[],
  ceilings: readonly (number | undefined)[],
): Promise<LeaseAnswer> {
  const names: Record<string, string> = { '#e': 'expiresAt' };
  const values: Record<string, number> = { ':e': key.window + KEEP_SECONDS };
  const adds: string[] = [];
  const conditions: string[] = [];
  take.forEach((t, slot) => {
    if (t <= 0) return;
    names[`#s${slot}`] = `s${slot}`;
    values[`:t${slot}`] = t;
    values[`:c${slot}`] = ceilings[slot]!;
    adds.push(`#s${slot} :t${slot}`);
    conditions.push(`(attribute_not_exists(#s${slot}) OR #s${slot} <= :c${slot})`);
  });
  try {
    const answer = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: toItem({ pk: `relay#${key.window}#${key.shard}` }),
        UpdateExpression: `ADD ${adds.join(', ')} SET #e = if_not_exists(#e, :e)`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: toItem(values),
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { taken: true, counts: slotCounts(answer.Attributes, key.slots) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException) && (error as { name?: string }).name !== 'ConditionalCheckFailedException')
      throw error;
    return { taken: false, counts: slotCounts((error as { Item?: Item }).Item, key.slots) };
  }
}

function slotCounts(item: Item | undefined, slots: number): number[] {
  const record = item ? fromItem(item) : {};
  return Array.from({ length: slots }, (_, slot) => Number(record[`s${slot}`] ?? 0));
}
