/** The public form of an event's detail, shared by the API and the notifications. */
import type { BounceCategory } from './bounce-classification.ts';
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
  /** For `scheduled`: when the message is to be sent. */
  send_at?: string;
  /** For bounces and deferrals: what kind of failure, its one-line explanation, and the relay's diagnostic as given. */
  category?: BounceCategory;
  explanation?: string;
  diagnostic?: string;
  /** Amazon SES's message id, when SES relayed the message. */
  ses_message_id?: string;
  /** For clicks: the link; for opens and clicks: who opened or clicked. */
  link?: string;
  user_agent?: string;
  ip_address?: string;
  /** For complaints: the feedback type the mailbox provider gave (e.g. `abuse`). */
  complaint_feedback_type?: string;
  /** For SES delivery delays: when SES stops trying. */
  expiration_time?: string;
}

// Internal field name → public name; a table, so that a new field cannot be half mapped.
const RENAMES = {
  relay: 'relay',
  bounceType: 'bounce_type',
  reason: 'reason',
  retryAt: 'retry_at',
  sendAt: 'send_at',
  category: 'category',
  explanation: 'explanation',
  diagnostic: 'diagnostic',
  sesMessageId: 'ses_message_id',
  link: 'link',
  userAgent: 'user_agent',
  ipAddress: 'ip_address',
  complaintFeedbackType: 'complaint_feedback_type',
  expirationTime: 'expiration_time',
} as const satisfies Partial<Record<keyof EventDetail, keyof NotificationDetail>>;

/** An event's detail with the public, snake_case field names (API answers and notifications). */
export function publicDetail(eventDetail: EventDetail): NotificationDetail {
  const detail: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(RENAMES) as [keyof typeof RENAMES, string][]) {
    if (eventDetail[from] !== undefined) detail[to] = eventDetail[from];
  }
  const { answer } = eventDetail;
  if (answer !== undefined) {
    detail.answer = {
      ...(answer.code !== undefined ? { code: answer.code } : {}),
      ...(answer.enhanced !== undefined ? { enhanced: answer.enhanced } : {}),
      response: answer.response,
    };
  }
  return detail as NotificationDetail;
}
