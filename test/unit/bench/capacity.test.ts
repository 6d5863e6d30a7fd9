import { describe, expect, it } from 'vitest';
import { API_ONLY, capacity, DEFAULT_MIX, MissingScenarioError, mixedPatterns, webhookExtra } from '../../../bench/capacity/model.ts';
import { recentProblems, type PatternLoad, type Profile } from '../../../bench/capacity/measure.ts';
import { keyPattern, scopeOf, shardsOf } from '../../../bench/capacity/patterns.ts';
import { functionSeconds, tracking } from '../../../bench/capacity/run.ts';
import { FEED, REPORTS, SUPPRESSIONS, WEBHOOKS } from '../../../lib/topology.ts';

describe('key patterns', () => {
  it('reduces ids, addresses, digests, days and numbers, and the run’s tenants', () => {
    const cases: [string, string][] = [
      ['01JF3ZK8Q4M6W2V0N5T7R9A1BC', '<id>'],
      ['dev', '<tenant>'],
      ['dev#1764979200', '<tenant>#<n>'],
      ['relay#1764979200050#3', 'relay#<n>#<n>'],
      ['dev#all', '<tenant>#all'],
      ['dev#5#all', '<tenant>#<n>#all'],
      ['dev#0#hourly', '<tenant>#<n>#hourly'],
      ['dev#q3Zr9-xWb_0LmNc1Aa2Bb3', '<tenant>#<digest>'],
      ['dev#tag:kind=welcome', '<tenant>#tag:kind=welcome'],
      ['dev#6f1c2a0e-2f1a-4b1e-9c1d-0a1b2c3d4e5f', '<tenant>#<uuid>'],
      ['chunk#B_YzdGFRtvBNTaGX', 'chunk#<digest>'],
      ['chunk#qa1Mlfl-stjudSrl', 'chunk#<digest>'],
      ['a3f9c0d1e2b3a4f5a6b7c8d9e0f1a2b3', '<digest>'],
      ['applied#dev#all#2026-12-06', 'applied#<tenant>#all#<day>'],
      ['dev#newsletter#ann@example.org', '<tenant>#newsletter#<address>'],
      ['developers', 'developers'],
    ];
    expect(cases.map(([value]) => keyPattern(value, ['dev']))).toEqual(cases.map(([, pattern]) => pattern));
  });

  it('says how a pattern’s busiest key grows: per message, per tenant or for the whole deployment', () => {
    expect(scopeOf('messages', '<id>')).toBe('spread');
    expect(scopeOf('suppressions', '<tenant>#<address>')).toBe('spread');
    expect(scopeOf('messages/byTenant', '<tenant>')).toBe('tenant');
    expect(scopeOf('rateLimits', '<tenant>#<n>')).toBe('tenant');
    expect(scopeOf('rateLimits', 'relay#<n>#<n>')).toBe('deployment');
    // An API key's item is read by every request made with it.
    expect(scopeOf('apiKeys', '<digest>')).toBe('tenant');
    // The feed's lookups: a tag is shared by a tenant's messages, across the write shards; an address is one recipient's.
    expect([scopeOf('feed', '<tenant>#tag#<digest>#<n>'), shardsOf('feed', '<tenant>#tag#<digest>#<n>')]).toEqual(['tenant', FEED.shards]);
    expect(scopeOf('feed', '<tenant>#to#<digest>#<n>')).toBe('spread');
    // The tenant's messages in byTenant: one key per tenant before it was sharded, FEED.shards keys now.
    expect(shardsOf('messages/byTenant', '<tenant>')).toBe(1);
    expect(keyPattern('dev#13', ['dev'])).toBe('<tenant>#<n>');
    expect([scopeOf('messages/byTenant', '<tenant>#<n>'), shardsOf('messages/byTenant', '<tenant>#<n>')]).toEqual(['tenant', FEED.shards]);
    // A tenant's per-second request counter has the same shape, but is one key at a time.
    expect(shardsOf('rateLimits', '<tenant>#<n>')).toBe(1);
    // Report counters, across their write shards; the unsharded layout before them.
    expect([scopeOf('reports', '<tenant>#<n>#all'), shardsOf('reports', '<tenant>#<n>#all')]).toEqual(['tenant', REPORTS.shards]);
    expect(shardsOf('reports', '<tenant>#<n>#tag:kind=welcome')).toBe(REPORTS.shards);
    expect(shardsOf('reports', '<tenant>#all')).toBe(1);
    // A suppression is an item per address; a tenant's listing is written across its shards.
    expect(scopeOf('suppressions', '<tenant>#<digest>')).toBe('spread');
    expect([scopeOf('suppressions/byTenant', '<tenant>#<n>'), shardsOf('suppressions/byTenant', '<tenant>#<n>')]).toEqual([
      'tenant',
      SUPPRESSIONS.listShards,
    ]);
    // The relay pacer's lease items and the per-tenant limit's blocks, per second and shard.
    expect(keyPattern('relay#1764979200#13', [])).toBe('relay#<n>#<n>');
    expect([scopeOf('rateLimits', 'relay#<n>#<n>'), shardsOf('rateLimits', 'relay#<n>#<n>')]).toEqual(['deployment', 16]);
    expect(keyPattern('acme#1764979200#5', ['acme'])).toBe('<tenant>#<n>#<n>');
    expect([scopeOf('rateLimits', '<tenant>#<n>#<n>'), shardsOf('rateLimits', '<tenant>#<n>#<n>')]).toEqual(['tenant', 8]);
    // An endpoint's delivery log: every event of the tenant's mail, though an endpoint id is in its key; then across its shards.
    expect(keyPattern('dev#01JF3ZK8Q4M6W2V0N5T7R9A1BC#17', ['dev'])).toBe('<tenant>#<id>#<n>');
    expect([scopeOf('webhooks', '<tenant>#<id>'), shardsOf('webhooks', '<tenant>#<id>')]).toEqual(['tenant', 1]);
    expect([scopeOf('webhooks', '<tenant>#<id>#<n>'), shardsOf('webhooks', '<tenant>#<id>#<n>')]).toEqual([
      'tenant',
      WEBHOOKS.deliveryShards,
    ]);
    // An id elsewhere still names one message.
    expect(scopeOf('messages', '<id>#<n>')).toBe('spread');
  });
});

const load = (target: string, pattern: string, writeUnits: number, readUnits = 0): PatternLoad => ({
  target,
  pattern,
  scope: scopeOf(target, pattern),
  shards: shardsOf(target, pattern),
  readUnits,
  writeUnits,
  requests: 1,
  keys: 1,
});

const API: typeof DEFAULT_MIX = { ...DEFAULT_MIX, ...API_ONLY };

const profile: Profile = {
  measured: { singles: 100, batches: 1, batchSize: 100 },
  scenarios: {
    single: {
      messages: 100,
      patterns: [load('messages', '<id>', 4, 1), load('messages/byTenant', '<tenant>', 1), load('apiKeys', '<digest>', 0, 1)],
    },
    batch: {
      messages: 100,
      patterns: [load('messages', '<id>', 4, 1), load('messages/byTenant', '<tenant>', 1), load('apiKeys', '<digest>', 0, 0.01)],
    },
  },
};

describe('capacity model', () => {
  it('weighs the scenarios by the mix and multiplies by recipients', () => {
    const mixed = mixedPatterns(profile, { ...API, batchShare: 0.25, recipients: 2 });
    const apiKeys = mixed.find((p) => p.target === 'apiKeys')!;
    expect(apiKeys.readUnits).toBeCloseTo((0.75 * 1 + 0.25 * 0.01) * 2);
  });

  it('puts a tenant’s rate on its keys and flags those past half of a partition’s limits', () => {
    const result = capacity(profile, { ...API, deploymentRate: 20_000, tenantRate: 5_000, batchShare: 0.5, recipients: 1 });
    const byTenant = result.keys.find((k) => k.target === 'messages/byTenant')!;
    expect(byTenant).toMatchObject({ writeUnits: 5_000, share: 5, over: true });
    // A key per message never grows with the rate.
    expect(result.keys.find((k) => k.target === 'messages')).toMatchObject({ writeUnits: 4, over: false });
    expect(result.ok).toBe(false);
    // Tables add up the whole deployment's load.
    expect(result.tables.find((t) => t.table === 'messages')).toEqual({ table: 'messages', readUnits: 20_000, writeUnits: 100_000 });
  });

  it('divides a sharded pattern’s load among its shards', () => {
    const sharded: Profile = {
      ...profile,
      scenarios: {
        single: { messages: 100, patterns: [load('feed', '<tenant>#tag#<digest>#<n>', 1)] },
        batch: { messages: 100, patterns: [load('feed', '<tenant>#tag#<digest>#<n>', 1)] },
      },
    };
    expect(capacity(sharded, API).keys[0]).toMatchObject({ scope: 'tenant', writeUnits: 5_000 / FEED.shards });
  });

  it('passes a mix whose busiest keys stay under half of the limits', () => {
    const result = capacity(profile, { ...API, deploymentRate: 20_000, tenantRate: 400, batchShare: 0.5, recipients: 1 });
    expect(result.keys.every((k) => k.share <= 0.5)).toBe(true);
    expect(result.ok).toBe(true);
  });

  it('names the quotas a mix passes, with their defaults', () => {
    const result = capacity(profile, API, { api: 0.03, deliver: 0.03 });
    const quota = (name: string) => result.quotas.find((q) => q.name.startsWith(name))!;
    expect(quota('Lambda concurrent executions')).toMatchObject({ needed: 1_200, defaultValue: 1_000, binds: true });
    expect(quota('DynamoDB on-demand throughput per table')).toMatchObject({ needed: 100_000, binds: true });
    expect(quota('API Gateway throttle')).toMatchObject({ needed: 10_100, defaultValue: 10_000 });
  });

  it('reads each function’s seconds per message from the benchmark’s compute lines', () => {
    const seconds = functionSeconds({
      cost: {
        lines: [
          { item: 'api compute (512 MB)', perMessage: 0.015 },
          { item: 'stream compute (256 MB)', perMessage: 0.005 },
          { item: 'api requests', perMessage: 1 },
        ],
      },
    });
    expect(seconds).toEqual({ api: 0.03, stream: 0.02 });
  });

  it('adds campaigns in their share, opens and clicks a message, and each webhook endpoint’s load on top', () => {
    const full: Profile = {
      measured: { ...profile.measured, webhookEndpoints: 2 },
      scenarios: {
        ...profile.scenarios,
        campaign: { messages: 20, patterns: [load('messages', '<id>', 4, 1), load('campaigns', '<tenant>', 0.5, 0.2)] },
        open: { messages: 10, patterns: [load('events', '<id>', 1)] },
        click: { messages: 10, patterns: [load('events', '<id>', 1), load('reports', '<tenant>#<n>#all', 2)] },
        webhooks: {
          messages: 20,
          patterns: [
            load('messages', '<id>', 4, 1),
            load('messages/byTenant', '<tenant>', 1),
            load('apiKeys', '<digest>', 0, 0.5),
            load('webhooks', '<tenant>#<id>#<n>', 4, 4),
          ],
        },
      },
    };
    // Per endpoint: the log's load, halved; what the single sends take as well is not the endpoints' doing.
    expect(webhookExtra(full)).toEqual([{ ...load('webhooks', '<tenant>#<id>#<n>', 2, 2), requests: 0.5 }]);
    const mix = { ...DEFAULT_MIX, batchShare: 0, campaignShare: 0.25, opens: 0.2, clicks: 0.1, webhooks: 3 };
    const byId = new Map(mixedPatterns(full, mix).map((p) => [`${p.target} ${p.pattern}`, p]));
    expect(byId.get('messages <id>')!.writeUnits).toBeCloseTo(0.75 * 4 + 0.25 * 4);
    expect(byId.get('campaigns <tenant>')!.writeUnits).toBeCloseTo(0.25 * 0.5);
    expect(byId.get('events <id>')!.writeUnits).toBeCloseTo(0.2 + 0.1);
    expect(byId.get('reports <tenant>#<n>#all')!.writeUnits).toBeCloseTo(0.1 * 2);
    expect(byId.get('webhooks <tenant>#<id>#<n>')!.writeUnits).toBeCloseTo(3 * 2);
    // Three endpoints, each with its own log: the busiest key is one endpoint's shard.
    const log = capacity(full, mix).keys.find((k) => k.target === 'webhooks')!;
    expect(log).toMatchObject({ scope: 'tenant', writeUnits: (5_000 * 2) / WEBHOOKS.deliveryShards });
    expect(capacity(full, mix).tables.find((t) => t.table === 'webhooks')!.writeUnits).toBeCloseTo(20_000 * 6);
    // Campaign mail is one API request per campaign.
    const quota = capacity(full, { ...mix, campaignShare: 0.5 }).quotas.find((q) => q.name.startsWith('API Gateway'))!;
    expect(quota.needed).toBe(10_000);
  });

  it('leaves the output as it was with no campaigns, tracking or webhooks, and names a scenario a profile lacks', () => {
    expect(capacity(profile, API).keys.map((k) => k.target)).toEqual(['messages/byTenant', 'apiKeys', 'messages']);
    expect(() => capacity(profile, DEFAULT_MIX)).toThrow(MissingScenarioError);
  });

  it('reads --tracking as on, off, or opens and clicks a message', () => {
    expect(tracking(undefined)).toEqual({ opens: DEFAULT_MIX.opens, clicks: DEFAULT_MIX.clicks });
    expect(tracking('on')).toEqual({ opens: DEFAULT_MIX.opens, clicks: DEFAULT_MIX.clicks });
    expect(tracking('off')).toEqual({ opens: 0, clicks: 0 });
    expect(tracking('0.5,0.1')).toEqual({ opens: 0.5, clicks: 0.1 });
    for (const bad of ['1', '1,2,3', 'a,b', '-1,0', ',1']) expect(() => tracking(bad), bad).toThrow(/--tracking/);
  });
});

describe('the capacity measure’s log', () => {
  it('keeps the last warnings and errors, with an error field by its name and message', () => {
    const { log, lines } = recentProblems(2);
    log.info('ignored');
    log.warn('first', { table: 'messages' });
    log.error('request failed', {
      error: Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }),
      path: '/v1/x',
    });
    log.error('last');
    expect(lines).toEqual([
      'error request failed {"error":"ProvisionedThroughputExceededException: throttled","path":"/v1/x"}',
      'error last',
    ]);
  });
});
