/** A Lambda `Context` for handlers invoked by the local runtime. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A context for one invocation of `name` with `timeoutSeconds`. */
export function lambdaContext(name: string, timeoutSeconds: number, memoryMb = 512): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `mailroom-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:mailroom-${name}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/mailroom-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A Lambda handler as the local runtime calls it. */
export type LocalHandler<E, R> = (event: E, context: Context) => Promise<R>;
