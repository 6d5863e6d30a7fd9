/**
 * The partial batch response of the SQS consumers, through Powertools' batch utility: each
 * record goes to a record handler, and the records whose handler threw come back
 * (`batchItemFailures`); the others are deleted.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface SqsBatchOptions {
  /**
   * One record after another, in queue order, instead of all at once: for consumers whose
   * records must apply in order, or that each use the invocation's time until it is nearly up.
   */
  inOrder?: boolean;
}

/**
 * Runs `handleRecord` on each record of the batch and answers with the records that must come
 * back: those whose handler threw. A batch whose every record failed is answered like any
 * other (all of them listed), not thrown, so that the handler's answer has one shape.
 */
export async function processSqsBatch(
  event: SQSEvent,
  context: Context,
  handleRecord: (record: SQSRecord) => Promise<unknown>,
  options: SqsBatchOptions = {},
): Promise<SQSBatchResponse> {
  // A processor per invocation: it keeps the batch's records and failures on the instance, and
  // the local runtime runs several batches of one handler at once.
  const processor = new BatchProcessor(EventType.SQS);
  const response = await processPartialResponse(event, handleRecord, processor, {
    context,
    processInParallel: !options.inOrder,
    throwOnFullBatchFailure: false,
  });
  // A copy: without failures the processor answers with an object all its instances share.
  return { batchItemFailures: response.batchItemFailures.map(({ itemIdentifier }) => ({ itemIdentifier })) };
}
