/**
 * The capacity model: from the measured load of each key pattern per message (profile.json,
 * made by `npm run capacity -- --measure`) and a traffic mix, the peak reads and writes a
 * second on the busiest key of each pattern, against DynamoDB's per-partition limits; the load
 * on each table against its on-demand quota; the Lambda concurrency each function needs; and
 * the AWS quotas the mix reaches.
 */
import type { PatternLoad, Profile } from './measure.ts';
import { perEndpoint } from './patterns.ts';

/** DynamoDB's limits on one partition (a partition key value never gets more). */
export const PARTITION_LIMITS = { readUnits: 3000, writeUnits: 1000 } as const;
/** A key may use at most this share of its partition's limits at the target rates. */
export const HEADROOM = 0.5;

export interface Mix {
  /** Messages a second across the deployment. */
  deploymentRate: number;
  /** Messages a second from the busiest tenant. */
  tenantRate: number;
  /** Share of mail sent in batches of 100 (the rest: one message per request). */
  batchShare: number;
  /** Recipients per message (each is a delivery; the profile is measured with one). */
  recipients: number;
  /** Share of mail sent by campaigns to lists (the rest through the API, single or batched). */
  campaignShare: number;
  /** Opens of the tracking pixel per message (0 with tracking off). */
  opens: number;
  /** Clicks of tracked links per message (0 with tracking off). */
  clicks: number;
  /** Webhook endpoints each tenant has registered, every one taking every event. */
  webhooks: number;
}

/**
 * 20,000 messages a second, 5,000 from one tenant; a quarter of it campaigns; an open for a
 * fifth of messages and a click for 3 in 100 (what newsletters see, once machine opens are
 * discounted); one webhook endpoint per tenant.
 */
export const DEFAULT_MIX: Mix = {
  deploymentRate: 20_000,
  tenantRate: 5_000,
  batchShare: 0.5,
  recipients: 1,
  campaignShare: 0.25,
  opens: 0.2,
  clicks: 0.03,
  webhooks: 1,
};

/** The mix of the profile's first two scenarios alone: API sends, no tracking, no webhooks. */
export const API_ONLY: Pick<Mix, 'campaignShare' | 'opens' | 'clicks' | 'webhooks'> = {
  campaignShare: 0,
  opens: 0,
  clicks: 0,
  webhooks: 0,
};

export interface KeyVerdict {
  target: string;
  pattern: string;
  scope: PatternLoad['scope'];
  /** Reads and writes a second on the busiest key of the pattern. */
  readUnits: number;
  writeUnits: number;
  /** The larger of its shares of the partition's read and write limits. */
  share: number;
  over: boolean;
}

export interface TableLoad {
  table: string;
  readUnits: number;
  writeUnits: number;
}

export interface Quota {
  name: string;
  /** What the mix needs. */
  needed: number;
  /** AWS's default. */
  defaultValue: number;
  unit: string;
  source: string;
  binds: boolean;
}

export interface Capacity {
  mix: Mix;
  keys: KeyVerdict[];
  tables: TableLoad[];
  quotas: Quota[];
  /** True when every key stays within HEADROOM of its partition's limits. */
  ok: boolean;
}

/**
 * What each webhook endpoint adds per message: the webhook scenario's load less the single
 * sends' (the same traffic with no endpoint), per endpoint measured; never below nothing.
 */
export function webhookExtra(profile: Profile): PatternLoad[] {
  const { webhooks, single } = profile.scenarios;
  const endpoints = profile.measured.webhookEndpoints ?? 0;
  if (!webhooks || endpoints <= 0) return [];
  const base = new Map(single.patterns.map((p) => [`${p.target} ${p.pattern}`, p]));
  return webhooks.patterns.flatMap((p) => {
    const without = base.get(`${p.target} ${p.pattern}`);
    const extra = (now: number, before = 0) => Math.max(0, now - before) / endpoints;
    const load = {
      ...p,
      readUnits: extra(p.readUnits, without?.readUnits),
      writeUnits: extra(p.writeUnits, without?.writeUnits),
      requests: extra(p.requests, without?.requests),
    };
    // A pattern whose load moved with the stream's batching alone is not the endpoints' doing.
    return p.target === 'reports' || load.readUnits + load.writeUnits === 0 ? [] : [load];
  });
}

/** A profile's scenario that the mix asks for but the profile lacks (measured before it was added). */
export class MissingScenarioError extends Error {
  constructor(readonly scenario: string) {
    super(`the profile has no ${scenario} scenario: measure it again (npm run capacity -- --measure)`);
    this.name = 'MissingScenarioError';
  }
}

/**
 * Per-message load of each pattern for the mix: the scenarios weighted by their share (API sends
 * single or batched, campaigns; opens and clicks and each webhook endpoint on top), times
 * recipients.
 */
export function mixedPatterns(profile: Profile, mix: Mix): PatternLoad[] {
  const scenario = (name: 'campaign' | 'open' | 'click') => {
    const found = profile.scenarios[name];
    if (!found) throw new MissingScenarioError(name);
    return found.patterns;
  };
  const api = 1 - mix.campaignShare;
  const weights: [PatternLoad[], number][] = [
    [profile.scenarios.single.patterns, api * (1 - mix.batchShare)],
    [profile.scenarios.batch.patterns, api * mix.batchShare],
  ];
  if (mix.campaignShare > 0) weights.push([scenario('campaign'), mix.campaignShare]);
  if (mix.opens > 0) weights.push([scenario('open'), mix.opens]);
  if (mix.clicks > 0) weights.push([scenario('click'), mix.clicks]);
  if (mix.webhooks > 0) {
    if (!profile.scenarios.webhooks) throw new MissingScenarioError('webhooks');
    // Each endpoint's log is keys of its own: the endpoints' load on it is spread over theirs.
    const extra = webhookExtra(profile).map((p) => (perEndpoint(p.target, p.pattern) ? { ...p, shards: p.shards * mix.webhooks } : p));
    weights.push([extra, mix.webhooks]);
  }
  const merged = new Map<string, PatternLoad>();
  for (const [patterns, weight] of weights) {
    for (const p of patterns) {
      const id = `${p.target} ${p.pattern}`;
      const entry = merged.get(id) ?? { ...p, readUnits: 0, writeUnits: 0, requests: 0, keys: 0 };
      entry.readUnits += p.readUnits * weight * mix.recipients;
      entry.writeUnits += p.writeUnits * weight * mix.recipients;
      entry.requests += p.requests * weight * mix.recipients;
      entry.keys = Math.max(entry.keys, p.keys);
      merged.set(id, entry);
    }
  }
  return [...merged.values()];
}

/** The load on the busiest key of a pattern, a second, at the mix's rates. */
function busiestKey(p: PatternLoad, mix: Mix): { readUnits: number; writeUnits: number } {
  const shards = p.shards ?? 1;
  switch (p.scope) {
    case 'tenant':
      return { readUnits: (p.readUnits * mix.tenantRate) / shards, writeUnits: (p.writeUnits * mix.tenantRate) / shards };
    case 'deployment':
      return { readUnits: (p.readUnits * mix.deploymentRate) / shards, writeUnits: (p.writeUnits * mix.deploymentRate) / shards };
    case 'spread':
      // A key per message: at most what one message puts on it, whatever the rate.
      return { readUnits: p.readUnits, writeUnits: p.writeUnits };
  }
}

/** Lambda compute per message (seconds of one instance), from the benchmark's cost lines, by function. */
export type FunctionSeconds = Record<string, number>;

export function capacity(profile: Profile, mix: Mix, functionSeconds: FunctionSeconds = {}): Capacity {
  const patterns = mixedPatterns(profile, mix);
  const keys = patterns
    .map((p): KeyVerdict => {
      const load = busiestKey(p, mix);
      const share = Math.max(load.readUnits / PARTITION_LIMITS.readUnits, load.writeUnits / PARTITION_LIMITS.writeUnits);
      return { target: p.target, pattern: p.pattern, scope: p.scope, ...load, share, over: share > HEADROOM };
    })
    .sort((a, b) => b.share - a.share || a.target.localeCompare(b.target));

  const tables = new Map<string, TableLoad>();
  for (const p of patterns) {
    const table = p.target.split('/')[0]!;
    const entry = tables.get(table) ?? { table, readUnits: 0, writeUnits: 0 };
    // Index writes count against the table's on-demand quota as well (each GSI has its own, the same).
    entry.readUnits += p.readUnits * mix.deploymentRate;
    entry.writeUnits += p.writeUnits * mix.deploymentRate;
    tables.set(table, entry);
  }
  const tableLoads = [...tables.values()].sort((a, b) => b.writeUnits - a.writeUnits);
  const busiestTable = tableLoads.reduce((max, t) => Math.max(max, t.writeUnits, t.readUnits), 0);

  const concurrency = Object.values(functionSeconds).reduce((sum, seconds) => sum + seconds * mix.deploymentRate, 0);
  // Campaign mail is one API request per campaign, nothing per message.
  const apiRate = mix.deploymentRate * (1 - mix.campaignShare);
  const requestsPerSecond = apiRate * (1 - mix.batchShare) + (apiRate * mix.batchShare) / 100;
  const quotas: Quota[] = [
    quota('DynamoDB on-demand throughput per table (busiest table)', busiestTable, 40_000, 'request units/s', DOCS.dynamodb),
    quota('Lambda concurrent executions (all functions)', concurrency, 1_000, 'executions', DOCS.lambda),
    quota('API Gateway throttle per account and Region', requestsPerSecond, 10_000, 'requests/s', DOCS.apiGateway),
    quota("mailroom's own API stage throttle (mailroom:apiThrottle)", requestsPerSecond, 100, 'requests/s', DOCS.stage),
    quota('SES maximum send rate (new production account)', mix.deploymentRate * mix.recipients, 14, 'messages/s', DOCS.ses),
    // Three events a message (queued, sent, delivered), published ten to a request.
    quota('SNS Publish per account in us-east-1', (mix.deploymentRate * mix.recipients * 3) / 10, 30_000, 'requests/s', DOCS.sns),
    // A job is in flight from its receive to its delete: about two seconds at the batch sizes used.
    quota('SQS messages in flight per standard queue', mix.deploymentRate * 2, 120_000, 'messages', DOCS.sqs),
  ];
  return { mix, keys, tables: tableLoads, quotas, ok: keys.every((k) => !k.over) };
}

function quota(name: string, needed: number, defaultValue: number, unit: string, source: string): Quota {
  return { name, needed: Math.ceil(needed), defaultValue, unit, source, binds: needed > defaultValue };
}

const DOCS = {
  dynamodb: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  lambda: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  apiGateway: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  stage: 'docs/configuration.md (mailroom:apiThrottle, default 100/s, burst 200)',
  ses: 'https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas.html',
  sns: 'https://docs.aws.amazon.com/general/latest/gr/sns.html',
  sqs: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html',
} as const;
