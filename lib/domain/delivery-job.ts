/** The unit of work on the send queue. It names a message; the content stays in the store. */
import * as z from 'zod';

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
}

const JOB = z.object({
  v: z.literal(1),
  messageId: z.string().min(1).max(64),
  tenant: z.string().min(1).max(128),
  attempt: z.number().int().min(1).max(10_000),
  notBefore: z.number().int().nonnegative().optional(),
  lane: z.literal('bulk').optional(),
  recipients: z.number().int().min(1).max(1000).optional(),
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
