/** Answers of the report routes, and the figures of lists and campaigns. */
import * as z from 'zod';
import { CAMPAIGN_STATUSES } from '../../domain/campaign.ts';
import { COUNTERS, type Counter } from '../../domain/report.ts';
import { DAY } from './common.ts';
import { named } from './registry.ts';

const count = z.int().min(0);
/** Every counter, per recipient. */
const COUNTER_FIELDS = Object.fromEntries(COUNTERS.map((counter) => [counter, count])) as Record<Counter, typeof count>;

const ratio = z.number().min(0).nullable();
/** Rates per recipient sent, to 4 places; null when nothing was sent. */
export const RATES = named(
  'Rates',
  z.strictObject({ delivery_rate: ratio, bounce_rate: ratio, complaint_rate: ratio, open_rate: ratio, click_rate: ratio }),
);

const CONVERTED_VALUE = z.record(z.string(), z.number()).describe('conversion values summed by ISO 4217 currency');

/** The counters of one day, one tag value or one sending domain, or of the whole range. */
export const REPORT_ROW = named(
  'ReportRow',
  z.strictObject({
    day: DAY.optional().describe('group_by=day'),
    tag: z.string().optional().describe('group_by=tag: `name=value`'),
    domain: z.string().optional().describe('group_by=domain: the sending domain'),
    ...COUNTER_FIELDS,
    converted_value: CONVERTED_VALUE.optional(),
    rates: RATES,
  }),
);

/** `GET /v1/reports`. */
export const REPORT = named(
  'Report',
  z.strictObject({
    from: DAY,
    to: DAY,
    group_by: z.enum(['day', 'tag', 'domain']),
    dimension: z.string().optional().describe('group_by=day: `all`, `tag:name=value` or `domain:name`'),
    rows: z.array(REPORT_ROW),
    totals: REPORT_ROW.describe('all mail over the range'),
  }),
);

const DAILY_ROW = z.strictObject({ ...COUNTER_FIELDS, converted_value: CONVERTED_VALUE.optional() });

/** `GET /v1/reports/daily`. */
export const DAILY_REPORT = named(
  'DailyReport',
  z.strictObject({
    from: DAY,
    to: DAY,
    days: z.array(DAILY_ROW.extend({ day: DAY })),
    totals: DAILY_ROW,
  }),
);

const FIGURES = {
  from: DAY,
  to: DAY,
  ...COUNTER_FIELDS,
  converted_value: CONVERTED_VALUE,
  rates: RATES.extend({ unsubscribe_rate: ratio, conversion_rate: ratio }),
};

/** `GET /v1/lists/{id}/stats`. */
export const LIST_STATS = named('ListStats', z.strictObject({ list_id: z.string(), ...FIGURES }));

/** `GET /v1/campaigns/{id}/stats`. */
export const CAMPAIGN_STATS = named(
  'CampaignStats',
  z.strictObject({
    campaign_id: z.string(),
    list_id: z.string(),
    fanout: z.strictObject({
      status: z.enum(CAMPAIGN_STATUSES),
      contacts: count,
      queued: count,
      skipped_unsubscribed: count,
      skipped_suppressed: count,
      failed: count,
    }),
    ...FIGURES,
  }),
);
