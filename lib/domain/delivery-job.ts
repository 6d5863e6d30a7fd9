/** The unit of work on the send queue. It names a message; the content stays in the store. */
import * as z from 'zod';
import { CARRIED_BODIES_MAX_BYTES } from './packed-bodies.ts';

export interface DeliveryJob {
  v: 1;
  messageId: string;
  tenant: string;
  /** The attempt this job performs (1 for the first). */
  attempt: number;
  /** Epoch ms before which the attempt must not run (long backoffs exceed the queue's delay limit). */
  notBefore?: number;
  /**
   * `bulk` for campaign mail: it travels on its own queue and may use only part of the relay's
   * rate, so that a large campaign never holds back transactional mail. Absent: transactional.
   */
  lane?: 'bulk';
  /** Recipients the attempt will address (the relay's rate counts recipients); 1 when absent. */
  recipients?: number;
  /**
   * Epoch ms at which acceptance enqueued the first job of a message, before storing the
   * message: until the job is UNSTORED_JOB_MAX_AGE_MS old, a message not found yet may still
   * be on its way. Absent on later jobs (their message was stored before them).
   */
  enqueuedAt?: number;
  /**
   * The message's bodies as the store keeps them (packed-bodies.ts), base64: on a first job,
   * when they are small (CARRIED_BODIES_MAX_BYTES), so that delivery need not read them back.
   * They never change once the message is stored. Absent: delivery reads them.
   */
  bodies?: string;
}

/**
 * Accepting mail enqueues a message's job before it stores the message (and creating a
 * campaign its fan-out before the campaign), so that nothing is ever stored without a job.
 * The writes must start within this time of the enqueue; past it the writer gives up (the
 * client hears an error, nothing is stored).
 */
export const STORE_DEADLINE_MS = 2 * 60_000;

/**
 * Age after which a job enqueued before what it works on (a message's first delivery job, a
 * campaign's first fan-out) is dropped when that is still not stored: the writer failed or
 * died before storing it, and its client was not told it was accepted. Well past
 * STORE_DEADLINE_MS and the API's timeout.
 */
export const UNSTORED_JOB_MAX_AGE_MS = 5 * 60_000;

/**
 * When such a job, `ageMs` old, looks again for what it works on: after about its age (at
 * least 1 s, at most a minute), so that something stored a moment late is handled soon and a
 * job whose work never comes costs a few looks.
 */
export function unstoredJobDelaySeconds(ageMs: number): number {
  return Math.min(60, Math.max(1, Math.ceil(ageMs / 1000)));
}

const JOB = z.object({
  v: z.literal(1),
  messageId: z.string().min(1).max(64),
  tenant: z.string().min(1).max(128),
  attempt: z.number().int().min(1).max(10_000),
  notBefore: z.number().int().nonnegative().optional(),
  lane: z.literal('bulk').optional(),
  recipients: z.number().int().min(1).max(1000).optional(),
  enqueuedAt: z.number().int().nonnegative().optional(),
  bodies: z
    .base64()
    .max(Math.ceil(CARRIED_BODIES_MAX_BYTES / 3) * 4)
    .optional(),
});

/** Parses a queue message body; undefined when it is not a delivery job. */
export function parseDeliveryJob(body: string): DeliveryJob | undefined {
  try {
    const parsed = JOB.safeParse(JSON.parse(body));
    return parsed.success ? (parsed.data as DeliveryJob) : undefined;
  } catch {
    return undefined;
  }
}
