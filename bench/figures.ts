/**
 * From what a run counted to what the report shows: requests and units per delivered message,
 * and their price. The single run, the batch run and the campaign run are priced the same way.
 */
import { FUNCTIONS } from '../lib/topology.ts';
import type { CounterSnapshot } from './aws-counter.ts';
import type { BulkMeasure } from './bulk-runs.ts';
import { billedDurationMs, costPerMillion, gbSeconds, type Cost } from './cost.ts';
import type { Invocation } from './invocations.ts';
import type { BulkLambdaResult, BulkRunResult, LambdaResult, OperationPerMessage } from './report.ts';

/** Each operation the counter saw, per delivered message; stream reads and empty polls are not priced. */
export function operationsPerMessage(snapshot: CounterSnapshot, delivered: number): OperationPerMessage[] {
  return snapshot.operations.map((op) => {
    const priced = op.service !== 'DynamoDBStreams' && op.billedRequests > 0;
    return { ...op, requestsPerMessage: op.requests / delivered, billedPerMessage: op.billedRequests / delivered, priced };
  });
}

/** Sum of the billed (rounded-up) durations of the invocations. */
export function billedMs(invocations: readonly Invocation[]): number {
  return invocations.reduce((sum, invocation) => sum + billedDurationMs(invocation.durationMs), 0);
}

/** What a run's use costs per million messages. */
export function priceRun(run: {
  delivered: number;
  operations: readonly OperationPerMessage[];
  lambda: readonly { name: string; memoryMb: number; invocations: number; gbSecondsPerMessage: number }[];
  apiRequests: number;
  snsRequests: number;
}): Cost {
  const dynamo = run.operations.filter((op) => op.service === 'DynamoDB');
  return costPerMillion({
    messages: run.delivered,
    lambda: run.lambda.map((fn) => ({
      name: fn.name,
      memoryMb: fn.memoryMb,
      invocations: fn.invocations,
      billedMs: ((fn.gbSecondsPerMessage * run.delivered) / fn.memoryMb) * 1024 * 1000,
    })),
    sqsRequests: run.operations.filter((op) => op.service === 'SQS' && op.priced).reduce((sum, op) => sum + op.billedRequests, 0),
    dynamoReadUnits: dynamo.reduce((sum, op) => sum + op.readUnits, 0),
    dynamoWriteUnits: dynamo.reduce((sum, op) => sum + op.writeUnits, 0),
    apiRequests: run.apiRequests,
    snsRequests: run.snsRequests,
  });
}

/**
 * A batch or campaign run's figures. Requests and invocations are this run's. Compute: the
 * functions that take the messages in (api for a batch, campaign for a campaign) from this run's
 * invocations; deliver and stream, whose work per message does not depend on how it came in,
 * from the single run's messages one at a time, as the single run's cost does.
 */
export function bulkFigures(kind: BulkRunResult['kind'], measure: BulkMeasure, single: readonly LambdaResult[]): BulkRunResult {
  const delivered = Math.max(1, measure.delivered);
  const operations = operationsPerMessage(measure.aws, delivered);
  const names = kind === 'campaign' ? (['api', 'campaign', 'deliver', 'stream'] as const) : (['api', 'deliver', 'stream'] as const);
  const lambda: BulkLambdaResult[] = names.map((name) => {
    const runs = measure.invocations.filter((run) => run.fn === name);
    const memoryMb = FUNCTIONS[name].memoryMb;
    const fromSingle = name === 'deliver' || name === 'stream' ? single.find((fn) => fn.name === name) : undefined;
    return {
      name,
      memoryMb,
      invocations: runs.length,
      invocationsPerMessage: runs.length / delivered,
      meanBatch: runs.length ? runs.reduce((sum, run) => sum + run.batch, 0) / runs.length : Number.NaN,
      gbSecondsPerMessage: fromSingle ? fromSingle.gbSecondsPerMessage : gbSeconds(billedMs(runs), memoryMb) / delivered,
      computeFrom: fromSingle ? 'single sends one at a time' : 'this run',
    };
  });
  const dynamo = operations.filter((op) => op.service === 'DynamoDB');
  return {
    kind,
    sent: measure.sent,
    accepted: measure.accepted,
    delivered: measure.delivered,
    deliveredPerSecond: measure.deliveredPerSecond,
    operations,
    readUnitsPerMessage: dynamo.reduce((sum, op) => sum + op.readUnits, 0) / delivered,
    writeUnitsPerMessage: dynamo.reduce((sum, op) => sum + op.writeUnits, 0) / delivered,
    lambda,
    sns: { events: measure.snsEvents, publishRequests: measure.snsRequests, publishRequestsPerMessage: measure.snsRequests / delivered },
    apiRequestsPerMessage: measure.apiRequests / delivered,
    cost: priceRun({ delivered, operations, lambda, apiRequests: measure.apiRequests, snsRequests: measure.snsRequests }),
    errors: measure.errors,
  };
}
