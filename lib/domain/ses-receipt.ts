/**
 * The notification SES receiving publishes when a receipt rule's S3 action has stored a message
 * (`notificationType: "Received"`), validated: the envelope recipients SES took, where the message
 * is, and SES's verdicts. Reference: "Contents of notifications for Amazon SES email receiving".
 */
import * as z from 'zod';
import { InvalidSesNotificationError } from './errors.ts';

const VERDICT = z.looseObject({ status: z.string() }).optional();

const RECEIVED = z.looseObject({
  notificationType: z.literal('Received'),
  mail: z.looseObject({ source: z.string().optional() }).optional(),
  receipt: z.looseObject({
    recipients: z.array(z.string().min(1)).min(1),
    spamVerdict: VERDICT,
    virusVerdict: VERDICT,
    spfVerdict: VERDICT,
    dkimVerdict: VERDICT,
    dmarcVerdict: VERDICT,
    action: z.looseObject({ type: z.literal('S3'), bucketName: z.string().min(1), objectKey: z.string().min(1) }),
  }),
});

/** A validated receipt notification. */
export type SesReceipt = z.infer<typeof RECEIVED>;

/** @throws InvalidSesNotificationError naming the first offending field. */
export function parseSesReceipt(input: unknown): SesReceipt {
  const parsed = RECEIVED.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidSesNotificationError(
      `SES receipt: ${issue?.path.map(String).join('.') || '(record)'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  return parsed.data;
}
