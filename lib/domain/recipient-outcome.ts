/**
 * How outcomes reported after the relay accepted a message (SES deliveries, bounces,
 * complaints, rejections) move a recipient's status. Notifications arrive at least once and
 * in any order, so the status only ever moves *up* a fixed ranking: whatever the order, the
 * final status is the highest-ranked outcome reported, and a duplicate changes nothing.
 *
 *   sent < failed < delivered < bounced < complained
 *
 * - `failed` (SES rejected the message after accepting it: virus, rendering failure) ranks
 *   just above `sent`; any later report that the message did arrive outranks it.
 * - `bounced` outranks `delivered`: a receiving server may accept a message and bounce it
 *   later (an asynchronous bounce), and a delivery reported late must not undo that bounce.
 * - `complained` outranks everything: a complaint proves delivery, and the recipient's wish
 *   not to receive mail is the fact that matters most.
 * - `queued` and `deferred` belong to mailroom's own delivery attempts, which are not over:
 *   an outcome for such a recipient waits until the attempt has been recorded.
 * - `rejected` (suppressed before sending) never went out; nothing reported later applies.
 *
 * The recipient's last answer follows the same rule on its own: it is the answer of the
 * highest-ranked outcome that came with one (a complaint carries none, so after a delivery
 * and a complaint it is the delivery's answer, whichever of the two came first).
 */
import type { EventType } from './events.ts';
import { isPending, type MessageStatus } from './message.ts';

const RANK: Partial<Record<MessageStatus, number>> = { sent: 1, failed: 2, delivered: 3, bounced: 4, complained: 5 };

/** The recipient status an event sets, for the events that set one. */
const STATUS_OF: Partial<Record<EventType, MessageStatus>> = {
  delivered: 'delivered',
  bounced: 'bounced',
  complained: 'complained',
  failed: 'failed',
};

/** Where a status stands in the ranking; undefined for statuses outside it (pending, rejected). */
export function outcomeRank(status: MessageStatus): number | undefined {
  return RANK[status];
}

/** The status an event moves its recipient to, or undefined (opens, clicks, deferrals…). */
export function outcomeStatus(type: EventType): MessageStatus | undefined {
  return STATUS_OF[type];
}

/** What applying `next` to a recipient now at `current` does. */
export type OutcomeTransition =
  /** `next` outranks `current`: the recipient moves to it. */
  | 'advance'
  /** `current` is at least as high (or final): nothing changes. */
  | 'keep'
  /** The recipient's delivery attempt is still being recorded: try again later. */
  | 'pending';

/** Decides whether an outcome moves a recipient's status (see the ranking above). */
export function outcomeTransition(current: MessageStatus, next: MessageStatus): OutcomeTransition {
  if (isPending(current)) return 'pending';
  const from = RANK[current];
  const to = RANK[next];
  if (from === undefined || to === undefined) return 'keep';
  return to > from ? 'advance' : 'keep';
}
