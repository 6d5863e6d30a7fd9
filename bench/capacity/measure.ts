/**
 * Measures what each kind of traffic costs each DynamoDB key: runs local mode against the
 * benchmark's SMTP sink, sends single messages and then batches through the API, a campaign to
 * a list, opens and clicks of tracked mail, and single messages with webhook endpoints
 * registered (a loopback receiver answering 200); waits until every message is delivered and
 * its events are through the stream (and its webhooks tried), and records the request units that
 * fell on each partition key value (the benchmark's request counter), reduced to key patterns
 * per message sent.
 */
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readLinkKey } from '../../lib/adapters/link-key.ts';
import { createLinkSigner, LINK_PATHS, type LinkPayload } from '../../lib/domain/links.ts';
import { parseWebhookJob } from '../../lib/domain/webhook-delivery.ts';
import { ENV } from '../../lib/env.ts';
import type { Log } from '../../lib/ports/logger.ts';
import { streamRecordEvents } from '../../lib/adapters/dynamodb/stream-records.ts';
import { DEV_TENANT, startLocal, type LocalOptions, type LocalRuntime } from '../../lib/local/runtime.ts';
import { AwsRequestCounter, type PartitionLoad } from '../aws-counter.ts';
import { waitUntil } from '../local-run.ts';
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
  /** The part of writeUnits that DynamoDB refused (PartitionLoad.refusedWriteUnits); absent when none. */
  refusedWriteUnits?: number;
  requests: number;
  /** Distinct keys of the pattern the run touched. */
  keys: number;
}

export interface ScenarioProfile {
  messages: number;
  /** Per message: API requests, delivery jobs. */
  patterns: PatternLoad[];
}

/** The traffic of a measure: how many messages each scenario sends. */
export interface MeasureOptions {
  singles: number;
  batches: number;
  batchSize: number;
  /** Contacts of the list one campaign is sent to (absent in profiles measured before campaigns were). */
  campaignContacts?: number;
  /** Tracked messages, each opened once and clicked once. */
  tracked?: number;
  /** Single messages sent with `webhookEndpoints` endpoints registered. */
  webhookMessages?: number;
  webhookEndpoints?: number;
}

export interface Profile {
  /** What was measured: the traffic each scenario sent. */
  measured: MeasureOptions;
  scenarios: {
    single: ScenarioProfile;
    batch: ScenarioProfile;
    /** A campaign's messages, from its creation through the API to every message sent. */
    campaign?: ScenarioProfile;
    /** One open of a delivered message, per message (the send itself not counted). */
    open?: ScenarioProfile;
    /** One click of a delivered message, per message (the send itself not counted). */
    click?: ScenarioProfile;
    /** Single sends with `measured.webhookEndpoints` endpoints registered, every webhook tried. */
    webhooks?: ScenarioProfile;
  };
}

const PREFIX = 'capacity';

/** The run's loads reduced to patterns, per message. */
export function toPatterns(loads: PartitionLoad[], messages: number, tenants: readonly string[]): PatternLoad[] {
  const byPattern = new Map<string, PatternLoad & { refused: number; seen: Set<string> }>();
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
      refused: 0,
      requests: 0,
      keys: 0,
      seen: new Set<string>(),
    };
    entry.readUnits += load.readUnits;
    entry.writeUnits += load.writeUnits;
    entry.refused += load.refusedWriteUnits;
    entry.requests += load.requests;
    entry.seen.add(load.key);
    byPattern.set(id, entry);
  }
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return [...byPattern.values()]
    .map(({ seen, refused, ...entry }) => ({
      ...entry,
      readUnits: round(entry.readUnits / messages),
      writeUnits: round(entry.writeUnits / messages),
      ...(refused > 0 && { refusedWriteUnits: round(refused / messages) }),
      requests: round(entry.requests / messages),
      keys: seen.size,
    }))
    .sort((a, b) => a.target.localeCompare(b.target) || a.pattern.localeCompare(b.pattern));
}

async function call(runtime: LocalRuntime, method: string, path: string, body?: unknown, status = 202): Promise<unknown> {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.status !== status) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

const post = (runtime: LocalRuntime, path: string, body: unknown, status = 202) => call(runtime, 'POST', path, body, status);

const LINK = 'https://mailroom.example/offer';

const message = (i: number, tracked = false) => ({
  from: 'Capacity <capacity@mailroom.example>',
  to: `recipient-${i}@example.org`,
  subject: `Capacity message ${i}`,
  text: 'A message of the capacity measure.',
  tags: { kind: 'capacity' },
  ...(tracked && {
    html: `<html><body><p>A message of the capacity measure.</p><p><a href="${LINK}">The offer</a></p></body></html>`,
    tracking: { opens: true, clicks: true },
  }),
});

/** A loopback webhook receiver answering 200 to everything. */
async function startReceiver(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A log that keeps its last warnings and errors (their messages and fields: never a body) and drops the rest. */
export function recentProblems(keep = 20): { log: Log; lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    // An error logged as a field (`{ error }`) would print as `{}`: its name and message instead.
    const fields =
      extra && JSON.stringify(extra, (_, value: unknown) => (value instanceof Error ? `${value.name}: ${value.message}` : value));
    lines.push(`${level} ${message}${fields ? ` ${fields}` : ''}`);
    if (lines.length > keep) lines.shift();
  };
  return { lines, log: { debug: () => undefined, info: () => undefined, warn: add('warn'), error: add('error') } };
}

/** Runs the scenarios and returns their profiles. */
export async function measureProfile(
  options: Required<MeasureOptions>,
  local: Pick<LocalOptions, 'prefix' | 'dynamoEndpoint' | 'sqsEndpoint'> = {},
): Promise<Profile> {
  const sink = await startSmtpSink();
  const prefix = local.prefix ?? PREFIX;
  const counter = new AwsRequestCounter(`${prefix}-`, tableSchemas());
  const problems = recentProblems();
  const runtime = await startLocal({
    ...local,
    port: 0,
    relay: sink.url,
    prefix,
    log: problems.log,
    instrumentClient: (c) => counter.instrument(c),
    // The per-tenant request limit and the relay's pacing on, as a deployment runs them, at rates this run never reaches.
    env: { [ENV.apiRateLimit]: '100000', [ENV.relayMaxRate]: '100000' },
  });
  const receiver = await startReceiver();
  const sent = new Set<string>();
  /** Events through the stream, by message id and type (`<id> <type>`). */
  const streamed = new Set<string>();
  runtime.handlers.stream.use({
    after: (request: { event: DynamoDBStreamEvent }) => {
      for (const event of request.event.Records.flatMap(streamRecordEvents)) {
        if (event.type === 'sent') sent.add(event.messageId);
        streamed.add(`${event.messageId} ${event.type}`);
      }
    },
  });
  /** Webhook tries made and recorded, by event id. */
  const hooked = new Map<string, number>();
  runtime.handlers.webhook.use({
    after: (request: { event: SQSEvent }) => {
      for (const record of request.event.Records) {
        const job = parseWebhookJob(record.body);
        if (job) hooked.set(job.eventId, (hooked.get(job.eventId) ?? 0) + 1);
      }
    },
  });
  let next = 0;
  const delivered = async (ids: string[]) => {
    await sink.waitFor(ids, 120_000 + ids.length * 50);
    if (!(await waitUntil(() => ids.every((id) => sent.has(id)), 60_000))) throw new Error('timed out waiting for the events stream');
  };
  const profileOf = (messages: number): ScenarioProfile => ({
    messages,
    patterns: toPatterns(counter.partitions(), messages, [DEV_TENANT]),
  });
  const run = async (send: () => Promise<string[]>): Promise<ScenarioProfile> => {
    counter.reset();
    const ids = await send();
    await delivered(ids);
    return profileOf(ids.length);
  };
  const singles = async (count: number, tracked = false) => {
    const ids: string[] = [];
    for (let k = 0; k < count; k += 5)
      ids.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(5, count - k) }, async () => {
            const i = next++;
            const answer = (await post(runtime, '/v1/messages', message(i, tracked))) as { id: string };
            recipients.set(answer.id, `recipient-${i}@example.org`);
            return answer.id;
          }),
        )),
      );
    return ids;
  };
  const recipients = new Map<string, string>();

  /** A campaign to a list of `contacts` contacts, created through the API and waited for until every message is sent. */
  const campaign = async (contacts: number): Promise<ScenarioProfile> => {
    const list = (await post(runtime, '/v1/lists', { name: `capacity ${randomUUID().slice(0, 8)}` }, 201)) as { id: string };
    for (let k = 0; k < contacts; k += 5)
      await Promise.all(
        Array.from({ length: Math.min(5, contacts - k) }, (_, j) =>
          post(runtime, `/v1/lists/${list.id}/contacts`, { email: `contact-${k + j}@example.org`, attributes: { first_name: 'Ann' } }, 201),
        ),
      );
    const before = sent.size;
    counter.reset();
    await post(runtime, '/v1/campaigns', {
      list_id: list.id,
      name: 'Capacity',
      from: 'Capacity <capacity@mailroom.example>',
      subject: 'Hello {{first_name}}',
      html: `<html><body><p>Hi {{first_name}}</p><p><a href="${LINK}">The offer</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>`,
      text: 'Hi {{first_name}}',
      tags: { kind: 'capacity' },
    });
    // Not polled through the API, whose reads would count: the stream sees every message sent.
    const done = await waitUntil(() => sent.size >= before + contacts, 120_000 + contacts * 100);
    if (!done) throw new Error('timed out waiting for the campaign');
    return profileOf(contacts);
  };

  /** Opens (`o`) or clicks (`c`) every message of `ids` once, as a mail client does, and waits for their events. */
  const follow = async (ids: string[], kind: 'o' | 'c'): Promise<ScenarioProfile> => {
    const signer = createLinkSigner(await readLinkKey(runtime.env));
    counter.reset();
    for (let k = 0; k < ids.length; k += 5)
      await Promise.all(
        ids.slice(k, k + 5).map(async (id) => {
          const base = { t: DEV_TENANT, m: id, r: recipients.get(id) ?? '' };
          const payload: LinkPayload = kind === 'o' ? { k: 'o', ...base } : { k: 'c', ...base, u: LINK };
          const response = await fetch(`${runtime.apiUrl}${LINK_PATHS[kind]}${signer.sign(payload)}`, {
            redirect: 'manual',
            headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' },
          });
          await response.arrayBuffer();
          if (response.status >= 400) throw new Error(`${kind === 'o' ? 'an open' : 'a click'} answered ${response.status}`);
        }),
      );
    const type = kind === 'o' ? 'opened' : 'clicked';
    if (!(await waitUntil(() => ids.every((id) => streamed.has(`${id} ${type}`)), 60_000)))
      throw new Error(`timed out waiting for the ${type} events`);
    return profileOf(ids.length);
  };

  /** Single sends with endpoints registered, waited for until every event's webhooks are tried. */
  const webhooks = async (count: number, endpoints: number): Promise<ScenarioProfile> => {
    const made: string[] = [];
    for (let e = 0; e < endpoints; e++)
      made.push(((await post(runtime, '/v1/webhooks', { url: receiver.url, events: ['*'] }, 201)) as { id: string }).id);
    try {
      const tried = () => [...hooked.values()].reduce((sum, n) => sum + n, 0);
      const before = tried();
      const profile = await run(async () => {
        const ids = await singles(count);
        await delivered(ids);
        // Every event of the messages goes to every endpoint.
        const mine = new Set(ids);
        const events = [...streamed].filter((entry) => mine.has(entry.slice(0, entry.indexOf(' ')))).length * endpoints;
        if (!(await waitUntil(() => tried() - before >= events, 60_000))) throw new Error('timed out waiting for the webhooks');
        return ids;
      });
      return profile;
    } finally {
      for (const id of made) await call(runtime, 'DELETE', `/v1/webhooks/${id}`, undefined, 204).catch(() => undefined);
    }
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
    const campaignProfile = await campaign(options.campaignContacts);
    const tracked = await singles(options.tracked, true);
    await delivered(tracked);
    const open = await follow(tracked, 'o');
    const click = await follow(tracked, 'c');
    const hooks = await webhooks(options.webhookMessages, options.webhookEndpoints);
    return { measured: options, scenarios: { single, batch, campaign: campaignProfile, open, click, webhooks: hooks } };
  } catch (error) {
    // What mailroom logged as it went wrong (an answer of 500 says no more than that).
    throw problems.lines.length > 0
      ? new Error(`${String(error)}\nmailroom logged:\n${problems.lines.join('\n')}`, { cause: error })
      : error;
  } finally {
    await runtime.stop();
    await sink.stop();
    await receiver.stop();
  }
}
