/**
 * The activity feed (`GET /v1/messages`): the query it takes, and which messages a filter
 * matches. How each filter is served (keys, indexes) is the store's business.
 */
import { hasControlCharacter, normalizeAddress } from './address.ts';
import { ValidationError, type FieldProblem } from './errors.ts';
import { MESSAGE_STATUSES, type MessageRecord, type MessageStatus } from './message.ts';
import { shownStatus } from './schedule.ts';

/** Most messages on one page, and the default. */
export const MAX_FEED_LIMIT = 1000;
export const DEFAULT_FEED_LIMIT = 100;

/** The filters of one listing; all given ones must hold. */
export interface FeedFilter {
  /** The status the message shows (a scheduled message whose time has come shows `queued`). */
  status?: MessageStatus;
  /** A recipient of the message (to, cc or bcc), normalised as sends normalise addresses. */
  recipient?: string;
  tag?: { name: string; value: string };
  campaign?: string;
  /** A stored template's id (any version). */
  template?: string;
  /** Accepted strictly after this time (ISO 8601 UTC, milliseconds). */
  after?: string;
  /** Accepted strictly before this time (ISO 8601 UTC, milliseconds). */
  before?: string;
}

/** A validated listing request. */
export interface FeedQuery {
  filter: FeedFilter;
  limit: number;
  cursor?: string;
}

const PARAMETERS = new Set(['limit', 'cursor', 'status', 'to', 'tag', 'after', 'before', 'template', 'campaign']);
const TAG_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const CAMPAIGN_ID = /^[0-9A-Za-z]{1,64}$/;
/** RFC 3339 date-time. A space in place of the offset's `+` is what a query string's `+` decodes to. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+\- ])(\d{2}):(\d{2}))$/;
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The instant an RFC 3339 date-time names, in epoch ms, a fraction below the millisecond
 * rounded down (`round: 'floor'`) or up; undefined when it is not one, or not in 1970–9999.
 */
export function parseDateTime(text: string, round: 'floor' | 'ceil'): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zulu, sign, offsetHours, offsetMinutes] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const days = mo === 2 ? (isLeap(y) ? 29 : 28) : (MONTH_DAYS[mo - 1] ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || s > 60) return undefined;
  let offset = 0;
  if (!zulu) {
    const [oh, om] = [Number(offsetHours), Number(offsetMinutes)];
    if (oh > 23 || om > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const base = new Date(0);
  base.setUTCFullYear(y, mo - 1, d);
  base.setUTCHours(h, mi, s, 0);
  const digits = fraction.padEnd(9, '0');
  const ms = Number(digits.slice(0, 3)) + (round === 'ceil' && Number(digits.slice(3)) > 0 ? 1 : 0);
  const instant = base.getTime() + ms - offset;
  return instant >= 0 && instant <= LATEST ? instant : undefined;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The page size of `raw`: 1..MAX_FEED_LIMIT, DEFAULT_FEED_LIMIT when absent. */
function limitOf(raw: string | undefined, problems: FieldProblem[]): number {
  if (raw === undefined) return DEFAULT_FEED_LIMIT;
  const limit = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(limit) || limit < 1 || limit > MAX_FEED_LIMIT) {
    problems.push({ field: 'limit', message: `must be a whole number from 1 to ${MAX_FEED_LIMIT}` });
  }
  return limit;
}

/** A `name=value` tag filter, as messages carry tags. */
function tagOf(raw: string, problems: FieldProblem[]): FeedFilter['tag'] {
  const eq = raw.indexOf('=');
  const name = eq < 0 ? '' : raw.slice(0, eq);
  const value = raw.slice(eq + 1);
  if (!TAG_NAME.test(name)) {
    problems.push({ field: 'tag', message: 'must be name=value, the name of letters, digits, _ . - (at most 64)' });
  } else if (value.length > 256 || hasControlCharacter(value)) {
    problems.push({ field: 'tag', message: 'the value must be at most 256 characters, without control characters' });
  } else {
    return { name, value };
  }
  return undefined;
}

/**
 * Validates the query string of `GET /v1/messages`. Throws ValidationError naming each bad
 * parameter; an unknown parameter is refused too (a misspelt filter would otherwise list everything).
 */
export function parseFeedQuery(query: Record<string, string>): FeedQuery {
  const problems: FieldProblem[] = [];
  for (const name of Object.keys(query))
    if (!PARAMETERS.has(name)) problems.push({ field: name, message: 'is not a parameter of this listing' });
  const limit = limitOf(query.limit, problems);
  const filter: FeedFilter = {};
  const { status, to, tag, campaign, template, after, before, cursor } = query;
  if (cursor !== undefined && cursor === '') problems.push({ field: 'cursor', message: 'must be a cursor returned by the previous page' });
  if (status !== undefined) {
    if ((MESSAGE_STATUSES as readonly string[]).includes(status)) filter.status = status as MessageStatus;
    else problems.push({ field: 'status', message: `must be one of ${MESSAGE_STATUSES.join(', ')}` });
  }
  if (to !== undefined) {
    const recipient = normalizeAddress(to);
    if (recipient) filter.recipient = recipient;
    else problems.push({ field: 'to', message: 'is not a valid email address' });
  }
  if (tag !== undefined) {
    const parsed = tagOf(tag, problems);
    if (parsed) filter.tag = parsed;
  }
  if (campaign !== undefined) {
    if (CAMPAIGN_ID.test(campaign)) filter.campaign = campaign;
    else problems.push({ field: 'campaign', message: 'must be a campaign id' });
  }
  if (template !== undefined) {
    if (template.length >= 1 && template.length <= 256 && !hasControlCharacter(template)) filter.template = template;
    else problems.push({ field: 'template', message: 'must be a template id (1 to 256 characters, no control characters)' });
  }
  const times: [string, string | undefined, 'floor' | 'ceil'][] = [
    ['after', after, 'floor'],
    ['before', before, 'ceil'],
  ];
  for (const [field, raw, round] of times) {
    if (raw === undefined) continue;
    const instant = parseDateTime(raw, round);
    if (instant === undefined) problems.push({ field, message: 'must be an RFC 3339 time, e.g. 2026-03-01T09:30:00Z, from 1970 to 9999' });
    else filter[field as 'after' | 'before'] = new Date(instant).toISOString();
  }
  if (filter.after !== undefined && filter.before !== undefined && filter.after >= filter.before) {
    problems.push({ field: 'before', message: 'must be later than after' });
  }
  if (problems.length) throw new ValidationError('The query is invalid.', problems);
  return { filter, limit, ...(cursor !== undefined && { cursor }) };
}

/**
 * Whether a message of `tenant` matches every filter `now` (epoch ms); `recipients` are its
 * normalised envelope addresses. Stores use it on what they read, whatever index led them there.
 * The status is the one the message shows now, as GET /v1/messages/{id} shows it: a scheduled
 * message whose time has come is `queued`, though it is stored (and indexed) as `scheduled`
 * until its first delivery attempt ends.
 */
export function feedMatches(
  filter: FeedFilter,
  tenant: string,
  message: MessageRecord,
  recipients: readonly string[],
  now: number,
): boolean {
  return (
    message.tenant === tenant &&
    (filter.status === undefined || shownStatus(message, now) === filter.status) &&
    (filter.recipient === undefined || recipients.includes(filter.recipient)) &&
    (filter.tag === undefined || (Object.hasOwn(message.tags, filter.tag.name) && message.tags[filter.tag.name] === filter.tag.value)) &&
    (filter.campaign === undefined || message.campaign === filter.campaign) &&
    (filter.template === undefined || message.template?.id === filter.template) &&
    (filter.after === undefined || message.createdAt > filter.after) &&
    (filter.before === undefined || message.createdAt < filter.before)
  );
}
