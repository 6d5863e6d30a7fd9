/** An UpdateItem whose failed condition is an answer, not an error. */
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { fromItem } from './marshalling.ts';

/** Runs a conditional update; the attributes it returns ({} when none), or undefined when the condition failed. */
export async function conditionalUpdate(client: DynamoDBClient, input: UpdateItemCommandInput): Promise<Record<string, unknown> | undefined> {
  try {
    const result = await client.send(new UpdateItemCommand(input));
    return fromItem(result.Attributes ?? {});
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}
