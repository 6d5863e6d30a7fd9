/**
 * Scheduled sends: the `send_at` time of a send request, how far ahead it may lie, how a
 * message's first delivery job waits for it, and the status a scheduled message shows.
 */
import type { MessageRecord, MessageStatus } from './message.ts';

/** Furthest ahead a message may be scheduled: 30 days. */
export const MAX_SCHEDULE_AHEAD_MS = 30 * 86_400_000;

/** What the API says of a `send_at` it cannot read. */
export const SEND_AT_FORMAT_MESSAGE = 'must be an RFC 3339 date and time with a time offset, such as 2026-12-24T09:00:00Z';

// RFC 3339 section 5.6 `date-time`: full date, `T`, full time with seconds, an optional
// fraction, and `Z` or a numeric offset. A space for `T` and leap seconds are left out: the
// first is only allowed by agreement, the second has no epoch time.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** A UTC date (month 1–12); Date.UTC alone would take years 0–99 for 1900–1999. */
function utcDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function daysIn(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate();
}

/**
 * The epoch ms of an RFC 3339 date-time (`2026-12-24T09:00:00Z`, `2026-12-24T10:00:00.5+01:00`),
 * digits beyond the millisecond dropped; undefined for anything else, impossible dates included.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [fraction = '', zulu, sign, offsetHours = '0', offsetMinutes = '0'] = match.slice(7);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  return utcDate(year, month, day, hour, minute, second, ms).getTime() - offset;
}

/** Why `sendAt` (epoch ms) cannot be accepted `now`; undefined when it can (a time past or now sends at once). */
export function sendAtProblem(sendAt: number, now: number): string | undefined {
  return sendAt - now > MAX_SCHEDULE_AHEAD_MS ? 'must be at most 30 days ahead' : undefined;
}

/** How a message's first delivery job waits for its time. */
export type DeliveryPlan =
  /** No time, or it has come: the job goes on the queue now. */
  | { kind: 'now' }
  /** Within the queue's own delay limit: the job goes on the queue now, hidden this long. */
  | { kind: 'delay'; delaySeconds: number }
  /** Further ahead: a schedule puts the job on the queue at `at` (epoch ms). */
  | { kind: 'schedule'; at: number };

/**
 * The plan for a job due at `sendAt` (epoch ms), `now`: the queue's delay (free, and nothing
 * to clean up) as long as it reaches, a schedule beyond `maxQueueDelaySeconds`. The delay is
 * rounded up, so the job never shows before its time.
 */
export function planDelivery(sendAt: number | undefined, now: number, maxQueueDelaySeconds: number): DeliveryPlan {
  if (sendAt === undefined || sendAt <= now) return { kind: 'now' };
  const delaySeconds = Math.ceil((sendAt - now) / 1000);
  return delaySeconds <= maxQueueDelaySeconds ? { kind: 'delay', delaySeconds } : { kind: 'schedule', at: sendAt };
}

/**
 * The status a message shows `now` (epoch ms): a scheduled message reads `scheduled` until its
 * time, then `queued` until its first delivery attempt records what became of it (the stored
 * status stays `scheduled` until then: nothing needs writing when the time comes).
 */
export function shownStatus(message: Pick<MessageRecord, 'status' | 'sendAt'>, now: number): MessageStatus {
  if (message.status !== 'scheduled' || message.sendAt === undefined) return message.status;
  return Date.parse(message.sendAt) > now ? 'scheduled' : 'queued';
}
