/**
 * `POST /local/ses-events` (local mode only): takes an SES event record — the JSON SES
 * publishes, or the SNS notification that carries it — and hands it to the ses-events handler
 * exactly as Lambda would, in an SQSEvent whose body is the SNS envelope. SES emulators
 * publish no events, so this is how a developer plays a delivery, bounce or complaint
 * through the real code path. It takes `application/json` only.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorDocument, InvalidSesNotificationError } from '../domain/errors.ts';
import { parseSesNotification } from '../domain/ses-notification.ts';
import { unwrapSqsBody } from '../handlers/sns-envelope.ts';
import { FUNCTIONS } from '../topology.ts';
import { readBody } from './api-event.ts';
import { lambdaContext, type LocalHandler } from './lambda-context.ts';

/** The path of the route. */
export const SES_EVENTS_PATH = '/local/ses-events';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:mailroom-ses-events';

type Reply = (status: number, headers: Record<string, string>, body: string) => void;

function error(reply: Reply, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  reply(status, { 'content-type': 'application/json', ...headers }, JSON.stringify(errorDocument({ code, message })));
}

/** The SNS notification SNS would deliver to the SES events queue for `record`. */
function snsEnvelope(record: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: TOPIC_ARN,
    Message: record,
    Timestamp: new Date().toISOString(),
  });
}

/** Serves the route with `handler` (the ses-events handler). */
export async function serveSesEvents(
  req: IncomingMessage,
  reply: Reply,
  handler: LocalHandler<SQSEvent, SQSBatchResponse> | undefined,
): Promise<void> {
  if (!handler) return error(reply, 404, 'route_not_found', 'SES events are not wired in this runtime.');
  if (req.method !== 'POST') return error(reply, 405, 'method_not_allowed', `Use POST ${SES_EVENTS_PATH}.`, { allow: 'POST' });
  // JSON only: any web page may post text/plain or a form across origins, but not JSON without a preflight this server refuses.
  if (req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/json')
    return error(reply, 415, 'unsupported_media_type', 'Post the SES event with Content-Type: application/json.');
  const text = (await readBody(req)).toString('utf8');
  let body: string;
  try {
    // Refuse what the handler would only log and drop, so the developer sees why at once.
    const content = unwrapSqsBody(text);
    if (content.kind === 'control') return error(reply, 400, 'invalid_request', `An SNS ${content.type} message carries no SES event.`);
    parseSesNotification(content.record);
    // Posted raw or already in an envelope: the queue gets it the way SNS delivers it.
    body = snsEnvelope(JSON.stringify(content.record));
  } catch (cause) {
    if (!(cause instanceof InvalidSesNotificationError)) throw cause;
    return error(reply, 400, 'invalid_request', cause.message);
  }
  const now = String(Date.now());
  const event: SQSEvent = {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'local', ApproximateFirstReceiveTimestamp: now },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:mailroom-ses-events',
        awsRegion: 'us-east-1',
      },
    ],
  };
  const spec = FUNCTIONS.sesEvents;
  const result = await handler(event, lambdaContext('ses-events', spec.timeoutSeconds, spec.memoryMb));
  if (result.batchItemFailures.length) {
    return error(
      reply,
      503,
      'retry_later',
      'The event was not recorded yet: the message is still being sent, or a store failed (see the log). Post it again shortly; in AWS the queue retries by itself.',
      { 'retry-after': '1' },
    );
  }
  // Recorded, or dropped because it names no message of mailroom's (the log says which).
  reply(202, { 'content-type': 'application/json' }, '{"accepted":true}');
}
