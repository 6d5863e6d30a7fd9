/**
 * Typed configuration, read once at cold start. A missing or malformed variable fails
 * start-up with its name.
 */
import { ENV, type Env } from './env.ts';
import { TABLE_ENV, TABLES, SEND_QUEUE, DEFAULT_RETENTION_DAYS, SMTP_SERVICE, type TableName } from './topology.ts';
import type { RetryPolicy } from './domain/retry.ts';
import { DEFAULT_SOFT_BOUNCE_POLICY, type SoftBouncePolicy } from './domain/soft-bounce-policy.ts';
import { DEFAULT_REPUTATION_POLICY, MAX_WINDOW_HOURS, type ReputationPolicy } from './domain/reputation.ts';
import { DEFAULT_MAX_ENDPOINTS, type WebhookSettings } from './domain/webhook.ts';
import { DEFAULT_RETRY_BASE_SECONDS } from './domain/webhook-retry.ts';
import { asciiDomain } from './domain/address.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A required variable. */
export function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is required`);
  return value;
}

/** An optional whole number within bounds, or the default. */
export function integer(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`environment variable ${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export type TableNames = Record<TableName, string>;

/** Every table's name. */
export function tableNames(env: Env): TableNames {
  const names = {} as TableNames;
  for (const table of Object.keys(TABLES) as TableName[]) names[table] = required(env, TABLE_ENV[table]);
  return names;
}

/** How deferred deliveries are retried. */
export function retryPolicy(env: Env): RetryPolicy {
  const baseSeconds = integer(env, ENV.retryBaseSeconds, 60, 0, 43_200);
  return {
    baseSeconds,
    capSeconds: Math.max(baseSeconds, 3600),
    maxAgeSeconds: integer(env, ENV.retryMaxAgeSeconds, 86_400, 0, 14 * 86_400),
  };
}

/** Which relay delivers mail. */
export type RelayConfig =
  { kind: 'ses'; configurationSet?: string } | { kind: 'smtp'; url: string } | { kind: 'smtp-secret'; secretArn: string };

/** Reads the relay choice: `ses`, an SMTP URL, or `smtp` with the URL in Secrets Manager. */
export function relayConfig(env: Env): RelayConfig {
  const relay = required(env, ENV.relay);
  if (relay === 'ses') {
    const configurationSet = env[ENV.sesConfigurationSet]?.trim();
    return configurationSet ? { kind: 'ses', configurationSet } : { kind: 'ses' };
  }
  if (relay === 'smtp') return { kind: 'smtp-secret', secretArn: required(env, ENV.smtpSecretArn) };
  if (/^smtps?:\/\//.test(relay)) {
    try {
      new URL(relay);
    } catch {
      throw new ConfigError(`environment variable ${ENV.relay} is not a valid URL`);
    }
    return { kind: 'smtp', url: relay };
  }
  throw new ConfigError(`environment variable ${ENV.relay} must be "ses", "smtp" or an smtp:// or smtps:// URL`);
}

/** When repeated soft bounces suppress an address (defaults: 5 within 72 hours). */
export function softBouncePolicy(env: Env): SoftBouncePolicy {
  return {
    count: integer(env, ENV.softBounceLimit, DEFAULT_SOFT_BOUNCE_POLICY.count, 0, 1000),
    windowHours: integer(env, ENV.softBounceWindowHours, DEFAULT_SOFT_BOUNCE_POLICY.windowHours, 1, 90 * 24),
  };
}

/** An optional fraction from 0 to 1 (`0.05`), or the default. */
export function fraction(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^(0|1|0?\.\d+|1\.0*)$/.test(raw) || !(value >= 0 && value <= 1)) {
    throw new ConfigError(`environment variable ${name} must be a fraction from 0 to 1 (0.05 for 5%), got "${raw}"`);
  }
  return value;
}

/** When the reputation breaker pauses a tenant (defaults: 5% hard bounces or 0.1% complaints over 24 hours, from 100 recipients). */
export function reputationPolicy(env: Env): ReputationPolicy {
  return {
    bounceRate: fraction(env, ENV.breakerBounceRate, DEFAULT_REPUTATION_POLICY.bounceRate),
    complaintRate: fraction(env, ENV.breakerComplaintRate, DEFAULT_REPUTATION_POLICY.complaintRate),
    minVolume: integer(env, ENV.breakerMinVolume, DEFAULT_REPUTATION_POLICY.minVolume, 1, 10_000_000),
    windowHours: integer(env, ENV.breakerWindowHours, DEFAULT_REPUTATION_POLICY.windowHours, 1, MAX_WINDOW_HOURS),
  };
}

/** Milliseconds a tenant's sending state is kept in a process (default 10 s; a pause or resume takes that long to be seen). */
export function sendingStateCacheMs(env: Env): number {
  return integer(env, ENV.sendingStateCacheSeconds, 10, 0, 300) * 1000;
}

/** How long the API keeps a live API key (ms): MAILROOM_API_KEY_CACHE_SECONDS, 0–300, 10 by default. */
export function apiKeyCacheMs(env: Env): number {
  return integer(env, ENV.apiKeyCacheSeconds, 10, 0, 300) * 1000;
}

/** Receives before a queue message moves to the DLQ. */
export function maxReceiveCount(env: Env): number {
  return integer(env, ENV.maxReceiveCount, SEND_QUEUE.maxReceiveCount, 1, 1000);
}

/** Days messages and events are kept. */
export function retentionDays(env: Env): number {
  return integer(env, ENV.retentionDays, DEFAULT_RETENTION_DAYS, 1, 3650);
}

/** Recipients per second to pace delivery to; undefined when not configured (0 means no pacing). */
export function relayMaxRate(env: Env): number | undefined {
  return env[ENV.relayMaxRate]?.trim() ? integer(env, ENV.relayMaxRate, 0, 0, 100_000) : undefined;
}

/** API requests per second per tenant; 0 (the default without the variable) turns the limit off. */
export function apiRateLimit(env: Env): number {
  return integer(env, ENV.apiRateLimit, 0, 0, 100_000);
}

/** The SMTP service's limits on messages and on clients (the service's own defaults when unset). */
export interface SmtpLimits {
  maxMessageBytes: number;
  authDeadlineMs: number;
  maxConnectionsPerAddress: number;
}

/** The SMTP service's limits from MAILROOM_SMTP_MAX_MESSAGE_BYTES, _AUTH_DEADLINE_SECONDS and _MAX_CONNECTIONS_PER_ADDRESS. */
export function smtpLimits(env: Env): SmtpLimits {
  const max = SMTP_SERVICE.maxMessageBytes;
  return {
    maxMessageBytes: integer(env, ENV.smtpMaxMessageBytes, max, 1024, max),
    authDeadlineMs: integer(env, ENV.smtpAuthDeadlineSeconds, SMTP_SERVICE.authDeadlineMs / 1000, 1, 3600) * 1000,
    maxConnectionsPerAddress: integer(env, ENV.smtpMaxConnectionsPerAddress, SMTP_SERVICE.maxConnectionsPerAddress, 1, 10_000),
  };
}

/**
 * The webhook settings: MAILROOM_WEBHOOK_RETRY_BASE_SECONDS (default 5, fractions allowed),
 * MAILROOM_WEBHOOK_MAX_ENDPOINTS (default 10), MAILROOM_WEBHOOK_PORTS (default 443) and
 * MAILROOM_WEBHOOK_HTTP_LOOPBACK (`true` in local mode).
 */
export function webhookSettings(env: Env): WebhookSettings {
  const rawBase = env[ENV.webhookRetryBaseSeconds]?.trim();
  const retryBaseSeconds = rawBase ? Number(rawBase) : DEFAULT_RETRY_BASE_SECONDS;
  if (!/^\d+(\.\d+)?$/.test(rawBase ?? '0') || !(retryBaseSeconds <= 3600)) {
    throw new ConfigError(
      `environment variable ${ENV.webhookRetryBaseSeconds} must be a number of seconds from 0 to 3600, got "${rawBase}"`,
    );
  }
  const rawPorts = env[ENV.webhookPorts]?.trim();
  const ports = rawPorts ? rawPorts.split(',').map((port) => Number(port.trim())) : [443];
  if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65_535)) {
    throw new ConfigError(`environment variable ${ENV.webhookPorts} must be ports from 1 to 65535 separated by commas, got "${rawPorts}"`);
  }
  const loopback = env[ENV.webhookHttpLoopback]?.trim() ?? '';
  if (!['', 'true', 'false'].includes(loopback)) {
    throw new ConfigError(`environment variable ${ENV.webhookHttpLoopback} must be "true" or "false", got "${loopback}"`);
  }
  return {
    retryBaseSeconds,
    maxEndpoints: integer(env, ENV.webhookMaxEndpoints, DEFAULT_MAX_ENDPOINTS, 1, 1000),
    urlPolicy: { ports, allowHttpLoopback: loopback === 'true' },
  };
}

/** mailroom's return path: the bounce domains' MX host and the configured bounce domain, if any. */
export interface ReturnPathConfig {
  mx: string;
  bounceDomain?: string;
}

/**
 * The return path, when MAILROOM_RETURN_PATH_MX is set (with MAILROOM_BOUNCE_DOMAIN, optional);
 * undefined when mailroom does not receive bounces (unset, or `off`).
 * @throws ConfigError when either is not a host name.
 */
export function returnPathConfig(env: Env): ReturnPathConfig | undefined {
  const host = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const ascii = raw === 'localhost' ? raw : asciiDomain(raw.replace(/\.$/, ''));
    if (!ascii) throw new ConfigError(`environment variable ${name} must be a host name, got "${raw}"`);
    return ascii;
  };
  if (env[ENV.returnPathMx]?.trim() === 'off') return undefined;
  const mx = host(ENV.returnPathMx);
  if (!mx) return undefined;
  const bounceDomain = host(ENV.bounceDomain);
  return { mx, ...(bounceDomain && { bounceDomain }) };
}
