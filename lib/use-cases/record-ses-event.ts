/**
 * Recording what Amazon SES reports about a message it took from mailroom: the events, the
 * recipients' new status, and the suppressions that follow — a hard bounce or a complaint
 * suppresses the address for the tenant; soft bounces do only when the address soft-bounced
 * repeatedly within the policy's window.
 *
 * Every step is idempotent (events by id, outcomes by rank, suppressions by precedence, soft
 * bounces by id), so a record handed over twice, or records handed over out of order, leave
 * the same final state. A record that names a message mailroom does not know is dropped.
 */
import { sesEventDrafts } from '../domain/ses-events.ts';
import { MAILROOM_ID_TAG, MAILROOM_TENANT_TAG, sesTagText } from '../domain/ses-message-tags.ts';
import { sesTag, type SesNotification } from '../domain/ses-notification.ts';
import { recordReportedEvents, type ReportDeps, type ReportResult } from './record-reported-events.ts';

export type RecordSesEventDeps = ReportDeps;

/** What became of one SES event record. */
export type SesEventResult = ReportResult;

const MESSAGE_ID = /^[0-9A-Za-z]{1,64}$/;

/**
 * Records one SES event record.
 * @throws OutcomeNotReadyError when a recipient's delivery attempt is still being recorded
 * (the caller hands the record over again later); store errors propagate for a retry.
 */
export async function recordSesEvent(deps: RecordSesEventDeps, notification: SesNotification): Promise<SesEventResult> {
  const drafts = sesEventDrafts(notification);
  const sesMessageId = notification.mail.messageId;
  if (drafts.length === 0) return { kind: 'ignored', reason: `nothing to record for ${notification.eventType}` };

  const id = sesTag(notification.mail, MAILROOM_ID_TAG);
  // Mail sent through the same configuration set by something other than mailroom.
  if (!id || !MESSAGE_ID.test(id)) return ignored(deps, 'SES event without a mailroom message id dropped', { sesMessageId });
  const stored = await deps.messages.get(id);
  if (!stored) return ignored(deps, 'SES event for an unknown message dropped', { sesMessageId, messageId: id });
  const tenantTag = sesTag(notification.mail, MAILROOM_TENANT_TAG);
  if (tenantTag !== undefined && tenantTag !== sesTagText(stored.message.tenant)) {
    return ignored(deps, 'SES event whose tenant tag does not match the message dropped', { sesMessageId, messageId: id });
  }

  const result = await recordReportedEvents(deps, stored, drafts, { relay: 'ses', sesMessageId });
  if (result.kind === 'recorded') {
    deps.log.info('SES event recorded', { messageId: id, sesMessageId, type: notification.eventType, events: result.events });
  }
  return result;
}

function ignored(deps: RecordSesEventDeps, message: string, extra: Record<string, unknown>): SesEventResult {
  deps.log.warn(message, extra);
  return { kind: 'ignored', reason: message };
}
