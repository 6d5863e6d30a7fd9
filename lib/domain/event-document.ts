/** The public form of an event's detail, shared by the API and the notifications. */
import type { EventDetail } from './events.ts';

/** The answer of a relay, as published. */
export interface NotificationAnswer {
  code?: number;
  enhanced?: string;
  response: string;
}

/** The `detail` of a published event. */
export interface NotificationDetail {
  relay?: string;
  answer?: NotificationAnswer;
  bounce_type?: 'hard' | 'soft';
  reason?: string;
  retry_at?: string;
}

/** An event's detail with the public, snake_case field names (API answers and notifications). */
export function publicDetail(eventDetail: EventDetail): NotificationDetail {
  const { relay, answer, bounceType, reason, retryAt } = eventDetail;
  const detail: NotificationDetail = {};
  if (relay !== undefined) detail.relay = relay;
  if (answer !== undefined) {
    detail.answer = {
      ...(answer.code !== undefined ? { code: answer.code } : {}),
      ...(answer.enhanced !== undefined ? { enhanced: answer.enhanced } : {}),
      response: answer.response,
    };
  }
  if (bounceType !== undefined) detail.bounce_type = bounceType;
  if (reason !== undefined) detail.reason = reason;
  if (retryAt !== undefined) detail.retry_at = retryAt;
  return detail;
}
