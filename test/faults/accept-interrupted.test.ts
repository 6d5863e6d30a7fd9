/**
 * mailroom stops in the middle of accepting mail (an API send, a batch, an SMTP submission) —
 * right before any one of its writes (the delivery jobs, a message's items, its events, the
 * answer of its Idempotency-Key), as when its process dies or its time runs out — and no
 * message may be left without a way to delivery: every message the client was told about (202,
 * 250) is delivered once; every other one is delivered once or not stored at all (or, over
 * SMTP, marked failed and never sent); no message stays `queued`.
 *
 * Two runtimes share the tables and queues: one answers the API, its DynamoDB and SQS calls cut
 * off from a chosen write on (that write and every call after it fail, so no clean-up runs
 * either); the other delivers, untouched, and drops a job whose message was never stored once
 * the job is 3 s old (minutes in AWS).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignMessageId } from '../../lib/domain/campaign.ts';
import { localTableNames } from '../../lib/local/create-tables.ts';
import { queueDepth } from '../../lib/local/idle.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { IDEMPOTENCY_LEASE_MS } from '../../lib/use-cases/idempotent.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { messageStates, startSmtpSink, statusCounts, tablesOf, writeCutoff, type MessageState, type SmtpSink } from '../support/faults.ts';
import { dynamoClient, sqsClient, uniquePrefix } from '../support/local-aws.ts';
import { call, startPipeline, type ApiAnswer } from '../support/pipeline.ts';
import { queuedId, smtpClient } from '../support/smtp-client.ts';
import { waitFor } from '../support/wait.ts';

const prefix = uniquePrefix();
const tables = localTableNames(prefix);
const dynamo = dynamoClient();
const sqs = sqsClient();
const workerLog = memoryLog();
// The writes of accepting mail: the Idempotency-Key, the messages, events and campaigns tables, and the queues.
const cut = writeCutoff(
  (c) =>
    c.command.startsWith('SendMessage') ||
    tablesOf(c).some((t) => t === tables.messages || t === tables.events || t === tables.idempotency || t === tables.campaigns),
);
// The API's clock, moved forward to outlast an Idempotency-Key's lease.
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

let dataDir: string | undefined;
let sink: SmtpSink;
let worker: LocalRuntime;
let acceptor: LocalRuntime;

beforeAll(async () => {
  sink = await startSmtpSink();
  // One data folder: the worker reads the bytes of what the acceptor took over SMTP.
  dataDir = await mkdtemp(join(tmpdir(), 'accept-interrupted-'));
  // A job that finds its message's attempt under way (a retry's second job) comes back after the
  // lease: 10 s here, a minute in AWS.
  worker = await startPipeline({ prefix, dataDir, relay: sink.url, log: workerLog, unstoredJobMaxAgeMs: 3_000, deliveryLeaseMs: 10_000 });
  acceptor = await startPipeline({
    prefix,
    dataDir,
    pollers: false,
    clock,
    smtp: { port: 0, securePort: 0 },
    instrumentClient: (client) => cut.instrument(client),
  });
});
afterAll(async () => {
  cut.arm(undefined);
  await acceptor?.stop();
  await worker?.stop();
  await sink?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dynamo.destroy();
  sqs.destroy();
});

/** Ids the API answered 202 for. */
function acceptedIds(answer: ApiAnswer): string[] {
  if (answer.status !== 202) return [];
  const results = answer.body?.results as { status_code: number; id: string }[] | undefined;
  return results ? results.filter((r) => r.status_code === 202).map((r) => r.id) : [answer.body.id];
}

/** Sends `body` to `path` with the acceptor stopping at its `at`-th write (undefined: not at all). */
async function send(path: string, body: unknown, key: string, at: number | undefined) {
  cut.arm(at);
  try {
    const answer = await call(acceptor, 'POST', path, body, { 'idempotency-key': key });
    return { answer, writes: cut.writes };
  } finally {
    cut.arm(undefined);
  }
}

/** Whether a queue holds nothing at all (no visible, in-flight or delayed message). */
async function isEmpty(queueUrl: string): Promise<boolean> {
  return Object.values(await queueDepth(sqs, queueUrl)).every((count) => count === 0);
}

let states = new Map<string, MessageState>();

/** Waits until no stored message waits for delivery and no job is left (orphan jobs are dropped in the meantime). */
async function settle(): Promise<void> {
  ({ states } = await waitFor(
    async () => ({ states: await messageStates(dynamo, tables.messages), drained: await isEmpty(worker.queueUrl) }),
    (seen) => seen.drained && [...seen.states.values()].every((s) => s.status === 'sent' || s.status === 'failed'),
    {
      timeout: 60_000,
      message: 'every stored message to be sent and the send queue to drain',
      show: (seen) => JSON.stringify({ messages: statusCounts(seen.states), drained: seen.drained }),
    },
  ));
}

/** The message of every event item. */
async function eventMessageIds(): Promise<string[]> {
  const items = (await dynamo.send(new ScanCommand({ TableName: tables.events, ConsistentRead: true }))).Items ?? [];
  return items.map((item) => String(unmarshall(item).messageId));
}

describe('accepting mail, stopped between two writes', () => {
  it('leaves every message it stored a way to delivery, wherever a send or a batch stops', async () => {
    const told: string[] = [];
    const shapes = [
      {
        name: 'single',
        path: '/v1/messages',
        body: (tag: string) => ({ from: 'shop@acme.test', to: `${tag}@remote.test`, subject: tag, text: 'x' }),
      },
      {
        name: 'batch',
        path: '/v1/messages/batch',
        body: (tag: string) => ({
          messages: [0, 1, 2].map((i) => ({ from: 'shop@acme.test', to: `${tag}-${i}@remote.test`, subject: `${tag}-${i}`, text: 'x' })),
        }),
      },
    ];
    for (const shape of shapes) {
      // Uninterrupted, to learn how many writes the request makes.
      const whole = await send(shape.path, shape.body(`${shape.name}-whole`), `${prefix}-${shape.name}-whole`, undefined);
      expect(whole.answer.status).toBe(202);
      told.push(...acceptedIds(whole.answer));
      // Stopped before each write in turn (the last one stores the key's answer), and not at all.
      for (let at = 1; at <= whole.writes + 1; at++) {
        const { answer } = await send(shape.path, shape.body(`${shape.name}-${at}`), `${prefix}-${shape.name}-${at}`, at);
        told.push(...acceptedIds(answer));
      }
    }

    await settle();
    // Each message the client was told about arrived once.
    expect(told.map((id) => sink.counts().get(id) ?? 0)).toEqual(told.map(() => 1));
    // Each stored message was sent, once; nothing arrived that is not stored.
    expect(statusCounts(states)).toEqual({ sent: states.size });
    expect([...states.keys()].map((id) => sink.counts().get(id) ?? 0)).toEqual([...states.keys()].map(() => 1));
    expect(sink.accepted.filter((id) => !states.has(id))).toEqual([]);
    expect(sink.duplicates()).toEqual([]);
    // No event speaks of a message that was never stored (reports would count it). A message's
    // `queued` events are its own item's (carried-events.ts): stored with it or not at all.
    expect((await eventMessageIds()).filter((id) => !states.has(id))).toEqual([]);
    // The jobs of messages never stored were dropped, not dead-lettered.
    expect(await isEmpty(worker.deadLetterQueueUrl)).toBe(true);
    expect(workerLog.lines.filter((l) => l.message === 'job dropped: its message was never stored').length).toBeGreaterThan(0);
  }, 120_000);

  it('frees an Idempotency-Key whose request died, once its lease is over: the retry sends the mail once, under the same id', async () => {
    const body = (tag: string) => ({ from: 'shop@acme.test', to: `${tag}@remote.test`, subject: tag, text: 'x' });
    const whole = await send('/v1/messages', body('lease-whole'), `${prefix}-lease-whole`, undefined);
    expect(whole.answer.status).toBe(202);
    const retried: string[] = [];
    // Stopped right before the key's answer is stored: the mail's last write (its message item,
    // which carries its queued event) is made. (Stopping before that write leaves no message; the
    // first test covers it.)
    for (const at of [whole.writes]) {
      const key = `${prefix}-lease-${at}`;
      const before = new Set((await messageStates(dynamo, tables.messages)).keys());
      const first = await send('/v1/messages', body(`lease-${at}`), key, at);
      expect(first.answer.status).toBeGreaterThanOrEqual(500);
      const stored = [...(await messageStates(dynamo, tables.messages)).keys()].filter((id) => !before.has(id));
      expect(stored).toHaveLength(1);

      // Within the lease the first request may still be running.
      const early = await send('/v1/messages', body(`lease-${at}`), key, undefined);
      expect(early.answer).toMatchObject({ status: 409, body: { error: { code: 'idempotency_request_in_progress' } } });

      // After it, the retry takes the key over and finds the message the first one stored.
      offset += IDEMPOTENCY_LEASE_MS + 1_000;
      const retry = await send('/v1/messages', body(`lease-${at}`), key, undefined);
      expect(retry.answer.status).toBe(202);
      expect(retry.answer.body.id).toBe(stored[0]);
      const after = [...(await messageStates(dynamo, tables.messages)).keys()].filter((id) => !before.has(id));
      expect(after).toEqual(stored);
      // And the answer is kept: the same key replays it.
      expect((await send('/v1/messages', body(`lease-${at}`), key, undefined)).answer).toEqual(retry.answer);
      retried.push(retry.answer.body.id);
    }

    // Back to the real time: jobs enqueued later must not look younger than they are to delivery.
    offset = 0;
    await settle();
    expect(retried.map((id) => sink.counts().get(id) ?? 0)).toEqual([1]);
    expect(sink.duplicates()).toEqual([]);
  }, 120_000);

  it('leaves every message submitted over SMTP a way to delivery, or none when the client heard 4xx, wherever DATA stops', async () => {
    const before = new Set((await messageStates(dynamo, tables.messages)).keys());
    const smtp = acceptor.smtp!;
    const transport = smtpClient(smtp.port, { user: smtp.credential.username, pass: smtp.credential.password });
    const submit = async (tag: string, at: number | undefined) => {
      cut.arm(at);
      try {
        const info = await transport.sendMail({ from: 'app@acme.test', to: `${tag}@remote.test`, subject: tag, text: 'x' });
        return { id: queuedId(info.response), writes: cut.writes };
      } catch (error) {
        expect(error).toMatchObject({ responseCode: expect.any(Number) });
        expect((error as { responseCode: number }).responseCode).toBeLessThan(500);
        return { id: undefined, writes: cut.writes };
      } finally {
        cut.arm(undefined);
      }
    };
    const told: string[] = [];
    const whole = await submit('smtp-whole', undefined);
    expect(whole.id).toBeDefined();
    told.push(whole.id!);
    for (let at = 1; at <= whole.writes + 1; at++) {
      const { id } = await submit(`smtp-${at}`, at);
      if (id) told.push(id);
    }
    transport.close();

    await settle();
    const added = [...states].filter(([id]) => !before.has(id));
    // The client heard 250: delivered once.
    expect(told.map((id) => sink.counts().get(id) ?? 0)).toEqual(told.map(() => 1));
    // Every other stored submission was either delivered once, or, its bytes removed when the
    // client heard 4xx, never sent and marked failed.
    for (const [id, state] of added) {
      if (state.status === 'sent') expect(sink.counts().get(id)).toBe(1);
      else expect([state.status, sink.counts().has(id)]).toEqual(['failed', false]);
    }
    expect(added.filter(([id, state]) => told.includes(id) && state.status !== 'sent')).toEqual([]);
    expect(sink.duplicates()).toEqual([]);
  }, 120_000);

  it('leaves every campaign it stored its fan-out, wherever POST /v1/campaigns stops', async () => {
    const list = await call(acceptor, 'POST', '/v1/lists', { name: 'interrupted' });
    for (const email of ['c0@remote.test', 'c1@remote.test'])
      expect((await call(acceptor, 'POST', `/v1/lists/${list.body.id}/contacts`, { email })).status).toBe(201);
    const body = (tag: string) => ({ list_id: list.body.id, from: 'news@acme.test', subject: tag, text: 'Hello {{email}}' });
    const told: string[] = [];
    const whole = await send('/v1/campaigns', body('campaign-whole'), `${prefix}-campaign-whole`, undefined);
    expect(whole.answer.status).toBe(202);
    told.push(whole.answer.body.id);
    for (let at = 1; at <= whole.writes + 1; at++) {
      const { answer } = await send('/v1/campaigns', body(`campaign-${at}`), `${prefix}-campaign-${at}`, at);
      if (answer.status === 202) told.push(answer.body.id);
    }

    // Every stored campaign is sent to both contacts; none stays `sending`.
    const { campaigns } = await waitFor(
      async () => {
        const items = (await dynamo.send(new ScanCommand({ TableName: tables.campaigns, ConsistentRead: true }))).Items ?? [];
        const found = items.map((item) => unmarshall(item)).map((c) => ({ id: String(c.sk), status: String(c.status) }));
        return { campaigns: found, drained: await isEmpty(worker.campaignQueueUrl) };
      },
      (seen) => seen.drained && seen.campaigns.every((c) => c.status === 'sent'),
      {
        timeout: 60_000,
        message: 'every campaign to be sent and the campaign queue to drain',
        show: (seen) => JSON.stringify({ statuses: seen.campaigns.map((c) => c.status), drained: seen.drained }),
      },
    );
    expect(told.every((id) => campaigns.some((c) => c.id === id))).toBe(true);
    await settle();
    for (const { id } of campaigns) {
      const ids = ['c0@remote.test', 'c1@remote.test'].map((email) => campaignMessageId(id, email));
      expect(ids.map((m) => sink.counts().get(m) ?? 0)).toEqual([1, 1]);
    }
    expect(sink.duplicates()).toEqual([]);
  }, 120_000);
});
