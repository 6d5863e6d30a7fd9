/**
 * Which partition key values are the same key at any rate, and which are a new key for each
 * message: a value seen in a measured run (`m-01JEXAMPLE…`, `acme#1764979200`) is reduced to its
 * pattern (`<id>`, `<tenant>#<n>`), and the pattern says how load on it grows with traffic.
 */
import { RATE_LIMIT_MAX_SHARDS } from '../../lib/adapters/dynamodb/rate-limiter.ts';
import { PACER_MAX_SHARDS } from '../../lib/domain/pacing.ts';
import { FEED, REPORTS, SUPPRESSIONS, WEBHOOKS } from '../../lib/topology.ts';

/** How the load on one key of a pattern grows with traffic. */
export type Scope =
  /** A key per message, recipient, event or request (ids, addresses, digests): never hot. */
  | 'spread'
  /** The same key for all of one tenant's traffic (or its current time bucket): grows with the tenant's rate. */
  | 'tenant'
  /** The same key for the whole deployment's traffic (or its current time bucket): grows with the deployment's rate. */
  | 'deployment';

/** Tokens that name one message, recipient, event or request: a key holding one is a new key every time. */
const SPREADING = ['<id>', '<address>', '<digest>', '<uuid>'];

/**
 * The pattern of a partition key value: ULIDs become `<id>`, addresses `<address>`, the run's
 * tenants `<tenant>`, dates `<day>`, UUIDs `<uuid>`, long hex or base64url runs `<digest>`, other
 * numbers `<n>`.
 */
export function keyPattern(value: string, tenants: readonly string[]): string {
  let pattern = value;
  for (const tenant of [...tenants].sort((a, b) => b.length - a.length))
    pattern = pattern.replace(new RegExp(`(^|[#|/])${escape(tenant)}(?=$|[#|/])`, 'g'), `$1<tenant>`);
  return pattern
    .replace(/[^\s#|/<>]+@[^\s#|/<>]+/g, '<address>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/gi, '<id>')
    .replace(/\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b/g, '<day>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<digest>')
    .replace(/(?<![<\w-])[A-Za-z0-9_-]{12,}(?![>\w-])/g, (run) =>
      /[A-Za-z]/.test(run) && (/\d/.test(run) || (/[a-z]/.test(run) && /[A-Z]/.test(run))) ? '<digest>' : run,
    )
    .replace(/\b\d+\b/g, '<n>');
}

/**
 * The webhook delivery log of one endpoint (`<tenant>#<endpoint id>`, and its shards): every
 * event of the tenant's mail writes it, so it grows with the tenant's rate, though an id is in it.
 */
const WEBHOOK_LOG = '<tenant>#<id>';
const WEBHOOK_LOG_SHARD = '<tenant>#<id>#<n>';

/** Whether a pattern's keys are one endpoint's (its delivery log): each endpoint's load is on keys of its own. */
export function perEndpoint(target: string, pattern: string): boolean {
  return target === 'webhooks' && (pattern === WEBHOOK_LOG || pattern === WEBHOOK_LOG_SHARD);
}

/** How many keys a pattern's load is written across at once (write shards): 1 unless it is sharded. */
export function shardsOf(target: string, pattern: string): number {
  if (target === 'feed' && pattern.endsWith('#<n>')) return FEED.shards;
  if (target === 'messages/byStatus') return FEED.shards;
  // A message item's `tenant` is its byTenant shard, `<tenant>#<shard>` (lib/adapters/dynamodb/feed-keys.ts).
  if (target === 'messages/byTenant' && pattern === '<tenant>#<n>') return FEED.shards;
  // Counters (lib/adapters/dynamodb/report-chunks.ts): `<tenant>#<shard>#<dimension>`.
  if (target === 'reports' && pattern.startsWith('<tenant>#<n>#')) return REPORTS.shards;
  // Suppression listings (lib/adapters/dynamodb/suppression-keys.ts): `<tenant>#<shard>`.
  if (target === 'suppressions/byTenant') return SUPPRESSIONS.listShards;
  // The relay pacer's window items (`relay#<second>#<shard>`) and the per-tenant limit's
  // (`<tenant>#<second>#<shard>`): as many as a rate of 20,000 and a limit of 2,000 or more take.
  if (target === 'rateLimits' && pattern === 'relay#<n>#<n>') return PACER_MAX_SHARDS;
  if (target === 'rateLimits' && pattern === '<tenant>#<n>#<n>') return RATE_LIMIT_MAX_SHARDS;
  // The webhook delivery log (lib/adapters/dynamodb/webhook-delivery-keys.ts): `<tenant>#<endpoint id>#<shard>`.
  if (target === 'webhooks' && pattern === WEBHOOK_LOG_SHARD) return WEBHOOKS.deliveryShards;
  return 1;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Tables whose keys are digests of something a tenant reuses on every request, not of
 * something new each time: an API key's item is read for every request made with it.
 */
const TENANT_DIGESTS = new Set(['apiKeys']);

/**
 * The activity feed's lookup partitions (lib/adapters/dynamodb/feed-keys.ts): a digest of the
 * value looked up, then the write shard. A tag, a campaign or a template is shared by many of a
 * tenant's messages; an address is one recipient's.
 */
const FEED_SHARED = /^<tenant>#(tag|campaign|template)#<digest>#<n>$/;

/** The scope of a pattern: spread when it names something per message, else its tenant's or the deployment's. */
export function scopeOf(target: string, pattern: string): Scope {
  if (TENANT_DIGESTS.has(target.split('/')[0]!) && pattern === '<digest>') return 'tenant';
  if (target === 'webhooks' && (pattern === WEBHOOK_LOG || pattern === WEBHOOK_LOG_SHARD)) return 'tenant';
  if (target === 'feed' && FEED_SHARED.test(pattern)) return 'tenant';
  if (SPREADING.some((token) => pattern.includes(token))) return 'spread';
  if (pattern.includes('<tenant>')) return 'tenant';
  return 'deployment';
}
