/**
 * The events-stream consumer: each new event is counted in the daily reports and published
 * to subscribers. Failures are reported from the first unfinished record on, as DynamoDB
 * stream event sources expect.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { EVENT_TYPES, type MailEvent } from '../domain/events.ts';
import { recordEvents, type RecordEventsDeps } from '../use-cases/record-events.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';

/** What the stream handler needs. */
export type StreamHandlerDeps = RecordEventsDeps & HandlerTelemetry;

/** The MailEvent in a stream record, or undefined for removals and foreign items. */
export function eventOf(record: DynamoDBRecord): MailEvent | undefined {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return undefined;
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
  if (typeof item.eventId !== 'string' || !(EVENT_TYPES as readonly string[]).includes(item.type)) return undefined;
  return {
    eventId: item.eventId,
    messageId: item.messageId,
    tenant: item.tenant,
    recipient: item.recipient,
    type: item.type,
    at: item.at,
    attempt: item.attempt ?? 0,
    tags: item.tags ?? {},
    ...(typeof item.fromDomain === 'string' && { fromDomain: item.fromDomain }),
    ...(typeof item.list === 'string' && { list: item.list }),
    ...(typeof item.campaign === 'string' && { campaign: item.campaign }),
    detail: item.detail ?? {},
  };
}

/** Builds the stream handler. */
export function createStreamHandler(deps: StreamHandlerDeps) {
  const handle = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records.flatMap((record) => {
      const mail = eventOf(record);
      return mail ? [{ record, mail }] : [];
    });
    const failedAt = await recordEvents(
      deps,
      records.map((r) => r.mail),
    );
    if (failedAt === undefined) return { batchItemFailures: [] };
    const sequence = records[failedAt]?.record.dynamodb?.SequenceNumber;
    return { batchItemFailures: sequence ? [{ itemIdentifier: sequence }] : [] };
  };
  return lambdaHandler(handle, deps.middlewares);
}
