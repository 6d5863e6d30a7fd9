/** Daily reporting counters and how events feed them. */
import type { EventType, MailEvent } from './events.ts';

export const COUNTERS = [
  'requested',
  'rejected',
  'sent',
  'delivered',
  'deferred',
  'bounced',
  'complained',
  'failed',
  'opened',
  'clicked',
  'converted',
  'unsubscribed',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

/** The dimension that holds a tenant's totals. */
export const ALL_DIMENSION = 'all';

const COUNTER_OF: Record<EventType, Counter> = {
  queued: 'requested',
  rejected: 'rejected',
  sent: 'sent',
  deferred: 'deferred',
  delivered: 'delivered',
  bounced: 'bounced',
  complained: 'complained',
  failed: 'failed',
  opened: 'opened',
  clicked: 'clicked',
  converted: 'converted',
  unsubscribed: 'unsubscribed',
};

/** The counter an event increments. */
export function counterFor(type: EventType): Counter {
  return COUNTER_OF[type];
}

/** UTC day (`YYYY-MM-DD`) of an ISO time. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/** Counters all at zero. */
export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;
}

/** One increment of the reporting tables, derived from one event. */
export interface CounterIncrement {
  /** Unique per event: applying the same increment twice must count once. */
  eventId: string;
  tenant: string;
  day: string;
  /** Dimensions to count in: always `all`, later tags, lists and campaigns. */
  dimensions: string[];
  counter: Counter;
}

/** The increment an event causes. */
export function incrementFor(event: MailEvent): CounterIncrement {
  return {
    eventId: event.eventId,
    tenant: event.tenant,
    day: dayOf(event.at),
    dimensions: [ALL_DIMENSION],
    counter: counterFor(event.type),
  };
}

/** A day of counters. */
export interface DailyCounters {
  day: string;
  counters: Counters;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a string is a real calendar day in `YYYY-MM-DD` form. */
export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
