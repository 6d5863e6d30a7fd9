/**
 * The stream consumer, for the events table's stream and the messages table's: each new
 * event is counted in the daily reports and published to subscribers. Failures are reported
 * from the first unfinished record on, as DynamoDB stream event sources expect.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { MailEvent } from '../domain/events.ts';
import { recordEventGroups, type RecordEventsDeps } from '../use-cases/record-events.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';

/** What the stream handler needs. */
export type StreamHandlerDeps = RecordEventsDeps &
  HandlerTelemetry & {
    /** The events a stream record brings, in order (none for records that bring none). */
    eventsOf: (record: DynamoDBRecord) => MailEvent[];
  };

/** Builds the stream handler. */
export function createStreamHandler(deps: StreamHandlerDeps) {
  const handle = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records.flatMap((record) => {
      const [first, ...rest] = deps.eventsOf(record);
      return first ? [{ record, events: [first, ...rest] as const }] : [];
    });
    // A record's events are counted together: a record handed over again brings them all again.
    const failedAt = await recordEventGroups(
      deps,
      records.map((r) => r.events),
    );
    if (failedAt === undefined) return { batchItemFailures: [] };
    const sequence = records[failedAt]?.record.dynamodb?.SequenceNumber;
    return { batchItemFailures: sequence ? [{ itemIdentifier: sequence }] : [] };
  };
  return lambdaHandler(handle, deps.middlewares);
}
