/** An UpdateItem whose failed condition is an answer, not an error. */
import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { fromItem, toItem } from './marshalling.ts';

/** Runs a conditional update; the attributes it returns ({} when none), or undefined when the condition failed. */
export async function conditionalUpdate(
  client: DynamoDBClient,
  input: UpdateItemCommandInput,
): Promise<Record<string, unknown> | undefined> {
  try {
    const result = await client.send(new UpdateItemCommand(input));
    return fromItem(result.Attributes ?? {});
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * Sets `revokedAt` on the item `pk` of a credential table (API keys, SMTP credentials), keeping
 * the first revocation's time. The item's attributes after the change; undefined when there is
 * no such item.
 */
export function revokeItem(
  client: DynamoDBClient,
  tableName: string,
  pk: string,
  at: string,
): Promise<Record<string, unknown> | undefined> {
  return conditionalUpdate(client, {
    TableName: tableName,
    Key: toItem({ pk }),
    UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: toItem({ ':at': at }),
    ReturnValues: 'ALL_NEW',
  });
}
