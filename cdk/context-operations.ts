/**
 * The context values of running mailroom: the alarms' thresholds (`mailroom:alarmThresholds`),
 * the address alarms are mailed to (`mailroom:alarmEmail`), the functions' log level
 * (`mailroom:logLevel`) and the tables' deletion protection (`mailroom:deletionProtection`).
 */
import type { Node } from 'constructs';
import { ContextError, optionalString, structured } from './context-values.ts';

/** What the alarms compare against; docs/operations.md says what each one means. */
export interface AlarmThresholds {
  /** Age of the oldest job on the transactional send queue, in seconds. */
  sendQueueAgeSeconds: number;
  /** Age of the oldest job on the campaign send queue, in seconds (campaigns drain at the relay's pace). */
  bulkQueueAgeSeconds: number;
  /** Failed invocations of one function within five minutes. */
  functionErrors: number;
  /** Throttled invocations of one function within five minutes. */
  functionThrottles: number;
  /** Share of the HTTP API's requests answered with a 5xx within five minutes (a fraction). */
  apiServerErrorRate: number;
  /** How far the stream function lags behind the events stream, in seconds. */
  streamIteratorAgeSeconds: number;
  /** SES account bounce rate at which AWS places the account under review (a fraction; relay `ses`). */
  sesBounceRateReview: number;
  /** SES account bounce rate at which AWS may pause sending (a fraction; relay `ses`). */
  sesBounceRatePause: number;
  /** SES account complaint rate at which AWS places the account under review (a fraction; relay `ses`). */
  sesComplaintRateReview: number;
  /** SES account complaint rate at which AWS may pause sending (a fraction; relay `ses`). */
  sesComplaintRatePause: number;
  /** Minutes in which messages were accepted but none was sent (a multiple of 5). */
  sentStalledMinutes: number;
}

/**
 * The default thresholds. The SES rates are the ones AWS reviews accounts at (Amazon SES Developer
 * Guide, reputation metrics): a bounce rate of 5% puts an account under review and 10% may pause
 * it; for complaints 0.1% and 0.5%.
 */
export const DEFAULT_ALARM_THRESHOLDS: Readonly<AlarmThresholds> = {
  sendQueueAgeSeconds: 30 * 60,
  bulkQueueAgeSeconds: 6 * 60 * 60,
  functionErrors: 1,
  functionThrottles: 1,
  apiServerErrorRate: 0.05,
  streamIteratorAgeSeconds: 5 * 60,
  sesBounceRateReview: 0.05,
  sesBounceRatePause: 0.1,
  sesComplaintRateReview: 0.001,
  sesComplaintRatePause: 0.005,
  sentStalledMinutes: 15,
};

/** How a threshold is checked: a whole number in a range, a fraction, or minutes in steps of five. */
type Rule = { kind: 'whole'; min: number; max: number } | { kind: 'fraction' } | { kind: 'fiveMinutes'; min: number; max: number };

// SQS keeps a message at most 14 days; an alarm evaluates at most a day of periods.
const RULES: Record<keyof AlarmThresholds, Rule> = {
  sendQueueAgeSeconds: { kind: 'whole', min: 60, max: 14 * 86_400 },
  bulkQueueAgeSeconds: { kind: 'whole', min: 60, max: 14 * 86_400 },
  functionErrors: { kind: 'whole', min: 1, max: 1_000_000 },
  functionThrottles: { kind: 'whole', min: 1, max: 1_000_000 },
  apiServerErrorRate: { kind: 'fraction' },
  streamIteratorAgeSeconds: { kind: 'whole', min: 60, max: 86_400 },
  sesBounceRateReview: { kind: 'fraction' },
  sesBounceRatePause: { kind: 'fraction' },
  sesComplaintRateReview: { kind: 'fraction' },
  sesComplaintRatePause: { kind: 'fraction' },
  sentStalledMinutes: { kind: 'fiveMinutes', min: 10, max: 1440 },
};

function check(key: string, name: string, value: unknown, rule: Rule): number {
  const number = typeof value === 'number' && Number.isFinite(value);
  if (rule.kind === 'fraction') {
    if (number && value > 0 && value <= 1) return value;
    throw new ContextError(key, `field ${name} must be a fraction above 0 and at most 1 (0.05 is 5%), got ${JSON.stringify(value)}`);
  }
  const step = rule.kind === 'fiveMinutes' ? 5 : 1;
  if (number && Number.isInteger(value) && value % step === 0 && value >= rule.min && value <= rule.max) return value;
  const what = step === 5 ? 'a multiple of 5' : 'a whole number';
  throw new ContextError(key, `field ${name} must be ${what} from ${rule.min} to ${rule.max}, got ${JSON.stringify(value)}`);
}

/** `mailroom:alarmThresholds`: an object of the thresholds to change; the others keep their defaults. */
export function alarmThresholds(node: Node, key: string): AlarmThresholds {
  const raw = structured(node, key);
  if (raw === undefined || raw === null) return { ...DEFAULT_ALARM_THRESHOLDS };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ContextError(key, `must be an object of thresholds such as {"sendQueueAgeSeconds": 600}, got ${JSON.stringify(raw)}`);
  }
  const names = Object.keys(RULES) as (keyof AlarmThresholds)[];
  const unknown = Object.keys(raw).filter((name) => !(names as string[]).includes(name));
  if (unknown.length) throw new ContextError(key, `has unknown field(s) ${unknown.join(', ')} (known: ${names.join(', ')})`);
  const given = raw as Record<string, unknown>;
  const thresholds = { ...DEFAULT_ALARM_THRESHOLDS };
  for (const name of names) if (name in given) thresholds[name] = check(key, name, given[name], RULES[name]);
  // A review threshold above the pause one would page after AWS had already acted.
  for (const rate of ['sesBounceRate', 'sesComplaintRate'] as const) {
    if (thresholds[`${rate}Review`] > thresholds[`${rate}Pause`]) {
      throw new ContextError(key, `field ${rate}Review must not be above ${rate}Pause`);
    }
  }
  return thresholds;
}

// An address SNS can mail: no spaces, one @, a dotted domain.
const EMAIL = /^[^\s@<>()",;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/** `mailroom:alarmEmail`: an address to subscribe to the alarm topic, if any. */
export function alarmEmail(node: Node, key: string): { alarmEmail?: string } {
  const value = optionalString(node, key);
  if (value === undefined) return {};
  if (!EMAIL.test(value)) throw new ContextError(key, `must be a plain email address, got "${value}"`);
  return { alarmEmail: value };
}

/** The levels Powertools' logger takes that mailroom documents. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'INFO';

/** `mailroom:logLevel`: the functions' POWERTOOLS_LOG_LEVEL, in any case. */
export function logLevel(node: Node, key: string): LogLevel {
  const value = optionalString(node, key)?.toUpperCase();
  if (value === undefined) return DEFAULT_LOG_LEVEL;
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ContextError(key, `must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return value as LogLevel;
}

/** `mailroom:deletionProtection`: on unless `false` (test stacks that must be deletable). */
export function deletionProtection(node: Node, key: string): boolean {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '' || raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new ContextError(key, `must be true or false, got ${JSON.stringify(raw)}`);
}

/**
 * `mailroom:inboundReceiving`: off unless `true`. On, SES email receiving brings bounces and
 * complaints back to mailroom's return path (docs/inbound.md lists the regions that offer it).
 */
export function inboundReceiving(node: Node, key: string): boolean {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '' || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  throw new ContextError(key, `must be true or false, got ${JSON.stringify(raw)}`);
}
