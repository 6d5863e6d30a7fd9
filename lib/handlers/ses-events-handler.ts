/**
 * The SES events queue consumer: each record is an SES event (in an SNS envelope, or raw)
 * recorded on its mailroom message, with a partial batch response so that only records that
 * must come back (a store failed, or the send they report on is still being recorded) do.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidSesNotificationError, OutcomeNotReadyError } from '../domain/errors.ts';
import { parseSesNotification } from '../domain/ses-notification.ts';
import { recordSesEvent, type RecordSesEventDeps } from '../use-cases/record-ses-event.ts';
import { unwrapSqsBody } from './sns-envelope.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';
import { processSqsBatch } from './sqs-batch.ts';

/** What the SES events handler needs. */
export type SesEventsHandlerDeps = RecordSesEventDeps & HandlerTelemetry;

/** Builds the SQS handler. */
export function createSesEventsHandler(deps: SesEventsHandlerDeps) {
  /** Records one record (or drops it); throws when it must come back. */
  const one = async (record: SQSRecord): Promise<void> => {
    let notification;
    try {
      const content = unwrapSqsBody(record.body);
      if (content.kind === 'control') {
        deps.log.info('SNS control message ignored', { type: content.type, sqsMessageId: record.messageId });
        return;
      }
      notification = parseSesNotification(content.record);
    } catch (error) {
      if (!(error instanceof InvalidSesNotificationError)) throw error;
      // Reading it again will not make it readable: drop it, loudly.
      deps.log.error('unreadable SES event dropped', { sqsMessageId: record.messageId, error: error.message });
      return;
    }
    try {
      await recordSesEvent(deps, notification);
    } catch (error) {
      if (error instanceof OutcomeNotReadyError) {
        deps.log.info('SES event came before its send was recorded; retrying later', { messageId: error.messageId });
      } else {
        deps.log.warn('recording an SES event failed; retrying', { sqsMessageId: record.messageId, error: String(error) });
      }
      throw error;
    }
  };
  // One at a time: reports on the same message in one batch then apply in queue order.
  const handle = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processSqsBatch(event, context, one, { inOrder: true });
  return lambdaHandler(handle, deps.middlewares);
}
