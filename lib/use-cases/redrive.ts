/**
 * Redriving the send queue's dead-letter queue: each job goes back on the send queue, and the
 * recipients of its message that mailroom marked `failed` when it gave up on the job are
 * `queued` again, so that the job delivers to them. (A job redriven as it is would do nothing:
 * its recipients are failed, and its attempt counts as finished.)
 *
 * A dead letter is deleted only after its job is back on the send queue, so a run that stops
 * halfway loses nothing: running it again finishes the work (a message already `queued`
 * again only gets its job; one delivered since then is just removed from the DLQ).
 */
import { parseDeliveryJob, type DeliveryJob } from '../domain/delivery-job.ts';
import { isPending, type StoredMessage } from '../domain/message.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeadLetter, DeadLetterQueue } from '../ports/dead-letter-queue.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { SendQueue } from '../ports/send-queue.ts';

export interface RedriveDeps<L extends DeadLetter = DeadLetter> {
  deadLetters: DeadLetterQueue<L>;
  queue: SendQueue;
  messages: Pick<MessageStore, 'get' | 'requeueFailed'>;
  clock: Clock;
}

export interface RedriveOptions {
  /** Only report what would be done: nothing is sent, changed or deleted. */
  dryRun?: boolean;
  /** Stop after this many letters. */
  max?: number;
}

export interface RedriveResult {
  /** Jobs put back on the send queue (with dryRun: that would be). */
  redriven: number;
  /** Of those, messages whose `failed` recipients are `queued` again. */
  revived: number;
  /** Letters whose message has nothing left to deliver (sent since, or bounced…): deleted, no job. */
  finished: number;
  /** Letters left in the dead-letter queue, counted by why. */
  left: Record<string, number>;
}

type Plan =
  { kind: 'redrive'; job: DeliveryJob; stored: StoredMessage; revive: boolean } | { kind: 'finished' } | { kind: 'leave'; why: string };

async function plan(messages: RedriveDeps['messages'], letter: DeadLetter, redriven: Set<string>): Promise<Plan> {
  const job = parseDeliveryJob(letter.body);
  if (!job) return { kind: 'leave', why: 'not a delivery job' };
  if (redriven.has(job.messageId)) return { kind: 'leave', why: 'dead-lettered again during this run' };
  const stored = await messages.get(job.messageId);
  if (!stored) return { kind: 'leave', why: 'message not found' };
  if (stored.message.tenant !== job.tenant) return { kind: 'leave', why: 'tenant mismatch' };
  const revive = stored.recipients.some((r) => r.status === 'failed');
  if (!revive && !stored.recipients.some((r) => isPending(r.status))) return { kind: 'finished' };
  return { kind: 'redrive', job, stored, revive };
}

/** The job that delivers what is left of the message now (as local restart recovery builds it). */
function nextJob(job: DeliveryJob, stored: StoredMessage): DeliveryJob {
  const { attempts, leaseUntil } = stored.message;
  // An attempt still leased is taken over once its lease runs out; otherwise the next one starts.
  const attempt = leaseUntil !== undefined ? Math.max(1, attempts) : attempts + 1;
  const next: DeliveryJob = { ...job, attempt };
  delete next.notBefore;
  return next;
}

/** Moves the dead letters back, batch by batch; returns what it did. */
export async function redrive<L extends DeadLetter>(deps: RedriveDeps<L>, options: RedriveOptions = {}): Promise<RedriveResult> {
  const result: RedriveResult = { redriven: 0, revived: 0, finished: 0, left: {} };
  const kept: L[] = [];
  // A job that fails again at once may be back in the dead-letter queue while the run lasts:
  // it is left there, not redriven round and round.
  const redriven = new Set<string>();
  let seen = 0;
  try {
    while (options.max === undefined || seen < options.max) {
      const received = await deps.deadLetters.receive();
      if (received.length === 0) break;
      // Letters past `max` go back untouched.
      const letters = received.slice(0, options.max === undefined ? undefined : options.max - seen);
      kept.push(...received.slice(letters.length));
      seen += letters.length;
      const jobs: DeliveryJob[] = [];
      const done: L[] = [];
      for (const letter of letters) {
        const planned = await plan(deps.messages, letter, redriven);
        if (planned.kind === 'leave') {
          result.left[planned.why] = (result.left[planned.why] ?? 0) + 1;
          kept.push(letter);
          continue;
        }
        if (planned.kind === 'finished') {
          result.finished += 1;
        } else {
          let stored = planned.stored;
          if (planned.revive && !options.dryRun)
            stored = (await deps.messages.requeueFailed(planned.job.messageId, deps.clock.now().toISOString())) ?? stored;
          jobs.push(nextJob(planned.job, stored));
          redriven.add(planned.job.messageId);
          result.redriven += 1;
          if (planned.revive) result.revived += 1;
        }
        done.push(letter);
      }
      if (options.dryRun) {
        kept.push(...done);
        continue;
      }
      if (jobs.length) await deps.queue.enqueue(jobs);
      if (done.length) await deps.deadLetters.delete(done);
    }
  } finally {
    if (kept.length) await deps.deadLetters.release(kept);
  }
  return result;
}
