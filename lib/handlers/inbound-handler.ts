/**
 * The inbound queue consumer (AWS): each record is SES receiving's notification that it stored a
 * message in S3; the message is read and handed to the inbound use case with the recipients SES
 * took, with a partial batch response so that only records that must come back do.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidSesNotificationError, OutcomeNotReadyError } from '../domain/errors.ts';
import { parseSesReceipt } from '../domain/ses-receipt.ts';
import type { RawMessageStore } from '../ports/raw-message-store.ts';
import { receiveInbound, type InboundDeps } from '../use-cases/receive-inbound.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';
import { unwrapSqsBody } from './sns-envelope.ts';
import { processSqsBatch } from './sqs-batch.ts';

/** What the inbound handler needs: the use case's ports and the bucket SES receiving writes to. */
export type InboundHandlerDeps = InboundDeps & HandlerTelemetry & { received: Pick<RawMessageStore, 'get'>; bucket: string };

/** Builds the SQS handler. */
export function createInboundHandler(deps: InboundHandlerDeps) {
  const one = async (record: SQSRecord): Promise<void> => {
    let receipt;
    try {
      const content = unwrapSqsBody(record.body);
      if (content.kind === 'control') return;
      receipt = parseSesReceipt(content.record);
    } catch (error) {
      if (!(error instanceof InvalidSesNotificationError)) throw error;
      deps.log.error('unreadable inbound notification dropped', { sqsMessageId: record.messageId, error: error.message });
      return;
    }
    const { action, recipients } = receipt.receipt;
    // Only the stack's own bucket is read: a notification naming another is not SES receiving's.
    if (action.bucketName !== deps.bucket) {
      deps.log.error('inbound notification for another bucket dropped', { sqsMessageId: record.messageId });
      return;
    }
    const raw = await deps.received.get(action.objectKey);
    if (!raw) {
      deps.log.warn('inbound message gone from its bucket', { sqsMessageId: record.messageId });
      return;
    }
    try {
      const { spamVerdict, virusVerdict, spfVerdict, dkimVerdict, dmarcVerdict } = receipt.receipt;
      await receiveInbound(deps, recipients, raw, {
        ...(receipt.mail?.source !== undefined && { envelopeFrom: receipt.mail.source }),
        verdicts: {
          ...(spamVerdict && { spam: spamVerdict.status.toLowerCase() }),
          ...(virusVerdict && { virus: virusVerdict.status.toLowerCase() }),
          ...(spfVerdict && { spf: spfVerdict.status.toLowerCase() }),
          ...(dkimVerdict && { dkim: dkimVerdict.status.toLowerCase() }),
          ...(dmarcVerdict && { dmarc: dmarcVerdict.status.toLowerCase() }),
        },
      });
    } catch (error) {
      if (!(error instanceof OutcomeNotReadyError)) deps.log.warn('recording inbound mail failed; retrying', { error: String(error) });
      throw error;
    }
  };
  const handle = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processSqsBatch(event, context, one, { inOrder: true });
  return lambdaHandler(handle, deps.middlewares);
}
