/** DynamoDB calls as a client sends them: each command's name and the tables it names (faults.ts's tablesOf). */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tablesOf } from './faults.ts';
import { dynamoClient } from './local-aws.ts';

export interface RecordedCall {
  command: string;
  tables: string[];
}

let recorders = 0;

/** Records every call `client` sends from now on, until `stop()`. */
export function recordCalls(client: DynamoDBClient): { calls: RecordedCall[]; stop: () => void } {
  const calls: RecordedCall[] = [];
  const name = `recordCalls${++recorders}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      calls.push({ command, tables: tablesOf({ command, input: args.input as Record<string, unknown> }) });
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { calls, stop: () => void client.middlewareStack.remove(name) };
}

/** A client of its own on the test run's DynamoDB Local that records each call. */
export function recordingClient(): { client: DynamoDBClient; calls: RecordedCall[] } {
  const client = dynamoClient();
  return { client, calls: recordCalls(client).calls };
}
