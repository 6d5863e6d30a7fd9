/**
 * Measures what each kind of traffic costs each DynamoDB key: runs local mode against the
 * benchmark's SMTP sink, sends single messages and then batches through the API, waits until
 * every message is delivered and its events are through the stream, and records the request
 * units that fell on each partition key value (the benchmark's request counter), reduced to
 * key patterns per message sent.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { ENV } from '../../lib/env.ts';
import { eventOf } from '../../lib/handlers/stream-handler.ts';
import { DEV_TENANT, startLocal, type LocalOptions, type LocalRuntime } from '../../lib/local/runtime.ts';
import { AwsRequestCounter, type PartitionLoad } from '../aws-counter.ts';
import { silent, waitUntil } from '../local-run.ts';
import { tableSchemas } from '../schemas.ts';
import { startSmtpSink } from '../sink.ts';
import { keyPattern, scopeOf, shardsOf, type Scope } from './patterns.ts';

/** The load one pattern of keys took, per message of a scenario. */
export interface PatternLoad {
  /** `<table>` or `<table>/<index>`. */
  target: string;
  pattern: string;
  scope: Scope;
  /** Keys the load is written across at once (write shards). */
  shards: number;
  readUnits: number;
  writeUnits: number;
  requests: number;
  /** Distinct keys of the pattern the run touched. */
  keys: number;
}

export interface ScenarioProfile {
  messages: number;
  /** Per message: API requests, delivery jobs. */
  patterns: PatternLoad[];
}

export interface Profile {
  /** What was measured: the traffic each scenario sent. */
  measured: { singles: number; batches: number; batchSize: number };
  scenarios: { single: ScenarioProfile; batch: ScenarioProfile };
}

const PREFIX = 'capacity';

/** The run's loads reduced to patterns, per message. */
export function toPatterns(loads: PartitionLoad[], messages: number, tenants: readonly string[]): PatternLoad[] {
  const byPattern = new Map<string, PatternLoad & { seen: Set<string> }>();
  for (const load of loads) {
    const pattern = keyPattern(load.key, tenants);
    const id = `${load.target} ${pattern}`;
    const entry = byPattern.get(id) ?? {
      target: load.target,
      pattern,
      scope: scopeOf(load.target, pattern),
      shards: shardsOf(load.target, pattern),
      readUnits: 0,
      writeUnits: 0,
      requests: 0,
      keys: 0,
      seen: new Set<string>(),
    };
    entry.readUnits += load.readUnits;
    entry.writeUnits += load.writeUnits;
    entry.requests += load.requests;
    entry.seen.add(load.key);
    byPattern.set(id, entry);
  }
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return [...byPattern.values()]
    .map(({ seen, ...entry }) => ({
      ...entry,
      readUnits: round(entry.readUnits / messages),
      writeUnits: round(entry.writeUnits / messages),
      requests: round(entry.requests / messages),
      keys: seen.size,
    }))
    .sort((a, b) => a.target.localeCompare(b.target) || a.pattern.localeCompare(b.pattern));
}

async function post(runtime: LocalRuntime, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

const message = (i: number) => ({
  from: 'Capacity <capacity@mailroom.example>',
  to: `recipient-${i}@example.org`,
  subject: `Capacity message ${i}`,
  text: 'A message of the capacity measure.',
  tags: { kind: 'capacity' },
});

/** Runs the scenarios and returns their profiles. */
export async function measureProfile(
  options: { singles: number; batches: number; batchSize: number },
  local: Pick<LocalOptions, 'prefix' | 'dynamoEndpoint' | 'sqsEndpoint'> = {},
): Promise<Profile> {
  const sink = await startSmtpSink();
  const prefix = local.prefix ?? PREFIX;
  const counter = new AwsRequestCounter(`${prefix}-`, tableSchemas());
  const runtime = await startLocal({
    ...local,
    port: 0,
    relay: sink.url,
    prefix,
    log: silent,
    instrumentClient: (c) => counter.instrument(c),
    // The per-tenant request limit and the relay's pacing on, as a deployment runs them, at rates this run never reaches.
    env: { [ENV.apiRateLimit]: '100000', [ENV.relayMaxRate]: '100000' },
  });
  const sent = new Set<string>();
  runtime.handlers.stream.use({
    after: (request: { event: DynamoDBStreamEvent }) => {
      for (const event of request.event.Records.flatMap((record) => eventOf(record) ?? []))
        if (event.type === 'sent') sent.add(event.messageId);
    },
  });
  let next = 0;
  const run = async (send: () => Promise<string[]>): Promise<ScenarioProfile> => {
    counter.reset();
    const ids = await send();
    await sink.waitFor(ids, 120_000 + ids.length * 50);
    if (!(await waitUntil(() => ids.every((id) => sent.has(id)), 60_000))) throw new Error('timed out waiting for the events stream');
    return { messages: ids.length, patterns: toPatterns(counter.partitions(), ids.length, [DEV_TENANT]) };
  };
  const singles = async (count: number) => {
    const ids: string[] = [];
    for (let k = 0; k < count; k += 5)
      ids.push(
        ...(await Promise.all(
          Array.from(
            { length: Math.min(5, count - k) },
            async () => ((await post(runtime, '/v1/messages', message(next++))) as { id: string }).id,
          ),
        )),
      );
    return ids;
  };
  try {
    await run(() => singles(10));
    const single = await run(() => singles(options.singles));
    const batch = await run(async () => {
      const ids: string[] = [];
      for (let b = 0; b < options.batches; b++) {
        const answer = (await post(runtime, '/v1/messages/batch', {
          messages: Array.from({ length: options.batchSize }, () => message(next++)),
        })) as { results: { id?: string }[] };
        ids.push(...answer.results.flatMap((r) => r.id ?? []));
      }
      return ids;
    });
    return { measured: options, scenarios: { single, batch } };
  } finally {
    await runtime.stop();
    await sink.stop();
  }
}
