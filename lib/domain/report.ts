/** Daily reporting counters and how events feed them. */
import { createHash } from 'node:crypto';
import type { EventType, MailEvent } from './events.ts';

export const COUNTERS = [
  'requested',
  'rejected',
  /** Recipients of messages canceled before delivery took them. */
  'canceled',
  'sent',
  'delivered',
  'deferred',
  'bounced',
  'bounced_hard',
  'bounced_soft',
  'complained',
  'failed',
  'opened',
  'opened_unique',
  /** Opens by machines: privacy proxies that fetch every image, and security scanners. */
  'opened_machine',
  'clicked',
  'clicked_unique',
  /** Clicks by security scanners that follow every link. */
  'clicked_machine',
  'converted',
  'unsubscribed',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

/** The dimension that holds a tenant's totals. */
export const ALL_DIMENSION = 'all';

const COUNTER_OF: Record<EventType, Counter> = {
  queued: 'requested',
  // A scheduled message is requested when it is accepted, like one queued at once.
  scheduled: 'requested',
  rejected: 'rejected',
  canceled: 'canceled',
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

/** Events whose first occurrence per message and recipient is also counted as unique. */
const UNIQUE_OF: Partial<Record<EventType, Counter>> = { opened: 'opened_unique', clicked: 'clicked_unique' };

/** Currency of a conversion value reported without one. */
export const DEFAULT_CURRENCY = 'USD';

/** How long the marker of a unique count is kept: a later open within it is not unique. */
export const UNIQUE_MARKER_DAYS = 400;

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

/** One increment of the reporting tables. Applying the same key twice must count once. */
export interface CounterIncrement {
  /** The event id, or for unique counts the message, recipient and event type. */
  key: string;
  tenant: string;
  day: string;
  /** Dimensions to count in: `all`, `tag:<name>=<value>`, `domain:<sender domain>`, `list:<id>`, `campaign:<id>`. */
  dimensions: string[];
  /** Counters that each go up by one. */
  counters: Counter[];
  /** Days to remember the key; the store's default (longer than any retry) when absent. */
  keepDays?: number;
  /** Sums that go up with the counters, by currency (conversion values), e.g. `{ EUR: 12.5 }`. */
  amounts?: Record<string, number>;
  /** UTC hour (`YYYY-MM-DDTHH`): the counters also go up in the tenant's hourly totals (the reputation breaker's window). */
  hour?: string;
  /** A clicked link of a campaign message: the counters also go up in that link's totals (not by day). */
  link?: CampaignLink;
}

/** A link of a campaign's messages, as clicks are counted per link. */
export interface CampaignLink {
  campaign: string;
  /** The URL the click link was signed for. */
  url: string;
  /**
   * Also keep the URL beside the link's totals: set on the first click of each recipient only,
   * so that the counters every click adds to stay small items (a write costs a unit per KB of
   * the item, and a URL may run to kilobytes).
   */
  keepUrl?: boolean;
}

/**
 * A short stand-in for a link URL in keys (a URL may run to kilobytes, a key to 2 KB at most):
 * 128 bits of its SHA-256, base64url (22 characters).
 */
export function linkDigest(url: string): string {
  return createHash('sha256').update(url).digest('base64url').slice(0, 22);
}

/** Events also counted per hour, in the tenant's totals: what the reputation breaker's rates are made of. */
export const HOURLY_TYPES: ReadonlySet<EventType> = new Set<EventType>(['sent', 'bounced', 'complained']);

/** The dimensions an event is counted in. */
export function dimensionsOf(event: MailEvent): string[] {
  const dimensions = [ALL_DIMENSION, ...Object.entries(event.tags).map(([name, value]) => `tag:${name}=${value}`)];
  if (event.fromDomain) dimensions.push(`domain:${event.fromDomain}`);
  if (event.list) dimensions.push(`list:${event.list}`);
  if (event.campaign) dimensions.push(`campaign:${event.campaign}`);
  return dimensions;
}

/**
 * The increments an event causes: its counter, and for opens and clicks the unique count. A
 * click on a campaign message also counts in its link's totals, and the recipient's first
 * click on that link (of that message) as the link's unique click.
 */
export function incrementsFor(event: MailEvent): CounterIncrement[] {
  const base = { tenant: event.tenant, day: dayOf(event.at), dimensions: dimensionsOf(event) };
  const counters: Counter[] = [counterFor(event.type)];
  if (event.type === 'bounced') counters.push(event.detail.bounceType === 'soft' ? 'bounced_soft' : 'bounced_hard');
  if (event.detail.machine && event.type === 'opened') counters.push('opened_machine');
  if (event.detail.machine && event.type === 'clicked') counters.push('clicked_machine');
  const value = event.type === 'converted' ? event.detail.value : undefined;
  const amounts = value !== undefined && value !== 0 ? { [event.detail.currency ?? DEFAULT_CURRENCY]: value } : undefined;
  const hour = HOURLY_TYPES.has(event.type) ? event.at.slice(0, 13) : undefined;
  const link =
    event.type === 'clicked' && event.campaign && event.detail.link ? { campaign: event.campaign, url: event.detail.link } : undefined;
  const increments: CounterIncrement[] = [
    { key: event.eventId, ...base, counters, ...(amounts && { amounts }), ...(hour && { hour }), ...(link && { link }) },
  ];
  const unique = UNIQUE_OF[event.type];
  if (unique) {
    increments.push({
      key: `first:${event.messageId}/${event.recipient}/${event.type}`,
      ...base,
      counters: [unique],
      keepDays: UNIQUE_MARKER_DAYS,
    });
  }
  if (link) {
    // Counted in the link's totals only: the campaign's unique click is the one above.
    increments.push({
      key: `first:${event.messageId}/${event.recipient}/clicked/${linkDigest(link.url)}`,
      ...base,
      dimensions: [],
      counters: ['clicked_unique'],
      keepDays: UNIQUE_MARKER_DAYS,
      link: { ...link, keepUrl: true },
    });
  }
  return increments;
}

/** The rates people look at; null when there is nothing to divide by. */
export interface Rates {
  /** delivered / sent */
  delivery_rate: number | null;
  /** bounced / sent */
  bounce_rate: number | null;
  /** complained / sent (as SES computes its complaint rate) */
  complaint_rate: number | null;
  /** unique opens / sent */
  open_rate: number | null;
  /** unique clicks / sent */
  click_rate: number | null;
}

/** Rates from counters, rounded to 4 decimal places. */
export function ratesOf(c: Counters): Rates {
  const of = (n: number) => (c.sent > 0 ? Math.round((n / c.sent) * 10_000) / 10_000 : null);
  return {
    delivery_rate: of(c.delivered),
    bounce_rate: of(c.bounced),
    complaint_rate: of(c.complained),
    open_rate: of(c.opened_unique),
    click_rate: of(c.clicked_unique),
  };
}

/** Adds `b` into `a`. */
export function addCounters(a: Counters, b: Counters): Counters {
  for (const counter of COUNTERS) a[counter] += b[counter];
  return a;
}

/** A day of counters. */
export interface DailyCounters {
  day: string;
  counters: Counters;
  /** Conversion values by currency; absent when there are none. */
  amounts?: Record<string, number>;
}

/** Adds amounts by currency into `a`, rounding to 6 decimal places against float drift. */
export function addAmounts(a: Record<string, number>, b: Record<string, number> | undefined): Record<string, number> {
  for (const [currency, value] of Object.entries(b ?? {})) a[currency] = Math.round(((a[currency] ?? 0) + value) * 1e6) / 1e6;
  return a;
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
