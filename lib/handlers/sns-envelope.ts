/**
 * The SES event record inside an SQS message body. A queue subscribed to the SES events
 * topic receives the SNS notification envelope (`{"Type":"Notification","Message":"<SES
 * JSON>",…}`); with raw message delivery it receives the SES JSON itself. Both are accepted,
 * so the subscription setting cannot silently break the handler.
 */
import { InvalidSesNotificationError } from '../domain/errors.ts';

/** What an SQS message body carries. */
export type SqsBodyContent =
  /** An SES event record (parsed JSON, not yet validated). */
  | { kind: 'record'; record: unknown }
  /** An SNS control message (subscription confirmation and the like): nothing to record. */
  | { kind: 'control'; type: string };

function json(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidSesNotificationError(`${what} is not JSON`, { cause: error });
  }
}

/**
 * Unwraps an SQS message body.
 * @throws InvalidSesNotificationError when the body or the envelope's Message is not JSON.
 */
export function unwrapSqsBody(body: string): SqsBodyContent {
  const parsed = json(body, 'the queue message body');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'record', record: parsed };
  const envelope = parsed as Record<string, unknown>;
  // An SNS envelope has Type and TopicArn; an SES record has neither.
  if (typeof envelope.Type !== 'string' || !('TopicArn' in envelope || 'Message' in envelope)) return { kind: 'record', record: parsed };
  if (envelope.Type !== 'Notification') return { kind: 'control', type: envelope.Type };
  if (typeof envelope.Message !== 'string') throw new InvalidSesNotificationError('the SNS notification has no Message');
  return { kind: 'record', record: json(envelope.Message, "the SNS notification's Message") };
}
