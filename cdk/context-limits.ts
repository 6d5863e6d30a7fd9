/**
 * The context values that bound what the public HTTP front may drive: request throttles for the
 * API's routes and for the public link routes, and the track function's reserved concurrency.
 * A link scanner that fetches every link of a campaign hits the public routes alone; their own
 * throttle and the track function's reservation keep it from taking the API's requests or the
 * account's Lambda concurrency that delivery needs.
 */
import type { Node } from 'constructs';
import { ContextError, structured } from './context-values.ts';

/** Steady requests per second and burst. */
export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/** Limits of the HTTP front. */
export interface FrontLimits {
  /** Every `/v1` route (the stage's default route throttle). */
  apiThrottle: Throttle;
  /** Each public link route (`GET /t/…`, `GET /u/…`, `POST /u/…`), on its own. */
  publicLinksThrottle: Throttle;
  /** Concurrent executions reserved for (and capping) the track function; `false`: none reserved. */
  trackReservedConcurrency: number | false;
}

/** Across every client: protects the account's Lambda concurrency and the relay from a runaway client; raise it for real volume. */
export const DEFAULT_API_THROTTLE: Throttle = { rateLimit: 100, burstLimit: 200 };
export const DEFAULT_PUBLIC_LINKS_THROTTLE: Throttle = { rateLimit: 50, burstLimit: 100 };
export const DEFAULT_TRACK_RESERVED_CONCURRENCY = 20;

/** API Gateway's own account limits per Region (10,000 per second, burst 5,000) bound every throttle. */
const MAX_RATE = 10_000;
const MAX_BURST = 5_000;

function throttle(node: Node, key: string, fallback: Throttle): Throttle {
  const value = structured(node, key);
  if (value === undefined) return fallback;
  const { rateLimit, burstLimit, ...rest } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const whole = (n: unknown, max: number) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= max;
  if (
    typeof value !== 'object' ||
    value === null ||
    Object.keys(rest).length ||
    !whole(rateLimit, MAX_RATE) ||
    !whole(burstLimit, MAX_BURST)
  ) {
    throw new ContextError(
      key,
      `must be {"rateLimit": 1–${MAX_RATE}, "burstLimit": 1–${MAX_BURST}} (requests per second, whole numbers), got ${JSON.stringify(value)}`,
    );
  }
  return { rateLimit: rateLimit as number, burstLimit: burstLimit as number };
}

function reservedConcurrency(node: Node, key: string): number | false {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return DEFAULT_TRACK_RESERVED_CONCURRENCY;
  if (raw === 'off' || raw === false) return false;
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw new ContextError(key, `must be a whole number from 1 to 1000, or "off" to reserve none, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Reads the limits of the HTTP front from the context keys given. */
export function frontLimits(
  node: Node,
  keys: { apiThrottle: string; publicLinksThrottle: string; trackReservedConcurrency: string },
): FrontLimits {
  return {
    apiThrottle: throttle(node, keys.apiThrottle, DEFAULT_API_THROTTLE),
    publicLinksThrottle: throttle(node, keys.publicLinksThrottle, DEFAULT_PUBLIC_LINKS_THROTTLE),
    trackReservedConcurrency: reservedConcurrency(node, keys.trackReservedConcurrency),
  };
}
