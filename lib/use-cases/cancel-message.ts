/**
 * `POST /v1/messages/{id}/cancel`: a message still scheduled or queued, that delivery has not
 * taken, is canceled and never sent. The store's conditional write decides between a cancel
 * and delivery's claim; the schedule of a scheduled message is deleted afterwards, and one
 * that fires anyway finds the message canceled and does nothing.
 */
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { eventBaseOf, makeEvent } from '../domain/events.ts';
import type { MessageRecord } from '../domain/message.ts';
import { planDelivery } from '../domain/schedule.ts';
import type { DeliveryScheduler } from '../ports/delivery-scheduler.ts';
import type { Log } from '../ports/logger.ts';
import { SQS_MAX_DELAY_SECONDS } from '../topology.ts';
import { getMessage, isMessageId, type GetMessageDeps } from './get-message.ts';

export interface CancelDeps extends GetMessageDeps {
  /** Where the schedules of messages due later are; absent: there are none to delete. */
  scheduler?: DeliveryScheduler;
  log: Log;
}

/**
 * Cancels a tenant's message and answers it as `GET /v1/messages/{id}` would. A second
 * cancel answers the same. Throws 404 for a message that is not the tenant's, 409
 * `not_cancelable` once delivery has taken it or it is finished.
 */
export async function cancelMessage(deps: CancelDeps, tenant: string, id: string): Promise<Awaited<ReturnType<typeof getMessage>>> {
  if (!isMessageId(id)) throw new NotFoundError('Message');
  const now = deps.clock.now();
  const result = await deps.messages.cancel(id, tenant, now.toISOString());
  if (result.kind === 'missing') throw new NotFoundError('Message');
  if (result.kind === 'refused') {
    const taken = result.status === 'scheduled' || result.status === 'queued';
    throw new ConflictError(
      'not_cancelable',
      `Only a scheduled or queued message can be canceled, until delivery takes it. ${taken ? 'Delivery has taken it already' : `It is ${result.status}`}.`,
    );
  }
  const { message } = result.stored;
  // Dated when the cancel was written, so that a repeated cancel writes the same events (ids are deterministic).
  await deps.events.append(
    result.recipients.map((recipient) =>
      makeEvent({ ...eventBaseOf(message), recipient, type: 'canceled', at: message.updatedAt, attempt: 0, detail: {} }),
    ),
  );
  if (hasSchedule(message, now.getTime()) && deps.scheduler) {
    // Spares the schedule's invocation; failing here changes nothing else.
    await deps.scheduler.cancel(id).catch((error: unknown) => {
      deps.log.warn('schedule of a canceled message not deleted', { messageId: id, error: String(error) });
    });
  }
  deps.log.info('message canceled', { messageId: id, tenant, recipients: result.recipients.length });
  return getMessage(deps, tenant, id);
}

/**
 * Whether the message waits in a schedule that has not fired by `now`: it was due beyond the
 * queue's delay when accepted (dispatch-jobs.ts planned it a moment later, never further ahead).
 */
function hasSchedule(message: MessageRecord, now: number): boolean {
  if (message.sendAt === undefined) return false;
  const sendAt = Date.parse(message.sendAt);
  return sendAt > now && planDelivery(sendAt, Date.parse(message.createdAt), SQS_MAX_DELAY_SECONDS).kind === 'schedule';
}
