/**
 * The fan-out of a campaign to a list of 100,000 contacts in local mode, on a DynamoDB Local of
 * its own. The contacts are written straight into it (BatchWriteItem, several batches at once);
 * the campaign is created through the API, and its job is run by the real campaign handler with
 * a short Lambda time budget, so that it must stop and continue in new jobs, as it would in AWS.
 * Delivery is left out (the pollers are off): the 100,000 delivery jobs stay on the send queue.
 * Prints the seed and fan-out times and where the requests' time went. It takes minutes, so
 * the default run leaves it out: `npm run test:fanout` runs it. FANOUT_CONTACTS sets another
 * list size (a quicker run while working on the fan-out).
 */
import { join } from 'node:path';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCampaignStore } from '../../../lib/adapters/dynamodb/campaign-store.ts';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/contact-store.ts';
import { DynamoEventStore } from '../../../lib/adapters/dynamodb/event-store.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { campaignMessageId } from '../../../lib/domain/campaign.ts';
import type { Contact } from '../../../lib/domain/mailing-list.ts';
import { ENV } from '../../../lib/env.ts';
import { EMULATOR_CREDENTIALS } from '../../../lib/local/aws.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../lib/local/dynamodb-local.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { LocalAwsClient, LocalRuntime } from '../../../lib/local/runtime.ts';
import { toSqsRecord } from '../../../lib/local/sqs-poller.ts';
import { CAMPAIGN_RESERVE_MS } from '../../../lib/topology.ts';
import { call, startPipeline } from '../../support/pipeline.ts';

const CONTACTS = Number(process.env.FANOUT_CONTACTS ?? 100_000);

/** Seconds of work per simulated invocation: its timeout minus the reserve it keeps. */
const WORK_SECONDS = 30;

let dynamoLocal: DynamoDbLocal;
let runtime: LocalRuntime;
let listId: string;
const timings: Record<string, number> = {};
/** Requests and their summed time (ms) by operation, while the fan-out runs. */
const requests = new Map<string, { count: number; ms: number }>();
let counting = false;

function instrument(client: LocalAwsClient): void {
  (client as { middlewareStack: { add: (m: unknown, o: unknown) => void } }).middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        if (counting) {
          const entry = requests.get(context.commandName ?? '?') ?? { count: 0, ms: 0 };
          entry.count += 1;
          entry.ms += performance.now() - started;
          requests.set(context.commandName ?? '?', entry);
        }
      }
    },
    { step: 'initialize', name: 'fanoutTimer' },
  );
}

const email = (i: number) => `reader${String(i).padStart(6, '0')}@example.test`;

beforeAll(async () => {
  // A DynamoDB Local of its own: the other test files' requests must not queue behind 300,000 writes.
  dynamoLocal = await startDynamoDbLocal({ credentials: EMULATOR_CREDENTIALS, tmpDir: join(process.cwd(), '.tmp', 'dynamodb-fanout') });
  runtime = await startPipeline({ pollers: false, instrumentClient: instrument, dynamoEndpoint: dynamoLocal.endpoint });
  const list = await call(runtime, 'POST', '/v1/lists', { name: 'Everyone' });
  expect(list.status).toBe(201);
  listId = list.body.id;
  const contacts = new DynamoContactStore(runtime.dynamo, runtime.env[ENV.contactsTable]!, { batchWrite: { concurrency: 16 } });
  const started = Date.now();
  const at = new Date().toISOString();
  // In slices, so that all 100,000 contacts are never built at once.
  for (let start = 0; start < CONTACTS; start += 10_000) {
    const slice: Contact[] = Array.from({ length: Math.min(10_000, CONTACTS - start) }, (_, k) => ({
      tenant: 'dev',
      listId,
      email: email(start + k),
      attributes: { first_name: `Reader ${start + k}`, plan: (start + k) % 3 === 0 ? 'pro' : 'free' },
      status: 'subscribed',
      createdAt: at,
      updatedAt: at,
    }));
    await contacts.putMany(slice);
  }
  timings.seedMs = Date.now() - started;
}, 600_000);

afterAll(async () => {
  await runtime?.stop();
  await dynamoLocal?.stop();
  const top = [...requests.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([name, { count, ms }]) => `${name}: ${count} requests, ${Math.round(ms / 1000)} s`);
  console.info('100,000-contact fan-out', timings, top);
});

/** Takes the next job off the campaign queue; undefined when none comes within a few seconds. */
async function nextJob(sqs: SQSClient) {
  for (let tries = 0; tries < 5; tries++) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: runtime.campaignQueueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 1,
        AttributeNames: ['All'],
      }),
    );
    const message = received.Messages?.[0];
    if (message) return message;
  }
  return undefined;
}

describe('campaign fan-out of 100,000 contacts', () => {
  it('completes across several time-limited jobs, creating every message once', async () => {
    const created = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: listId,
      from: 'Acme News <news@acme.example>',
      subject: 'News for {{first_name}}',
      html: '<html><body><p>Hello {{first_name}}{{#if plan}} ({{plan}}){{/if}}</p><p><a href="https://acme.example/news">Read</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>',
      text: 'Hello {{first_name}}\nUnsubscribe: {{unsubscribe_url}}',
    });
    expect(created.status).toBe(202);
    const id: string = created.body.id;

    counting = true;
    const started = Date.now();
    let jobs = 0;
    const queueArn =
      (await runtime.sqs.send(new GetQueueAttributesCommand({ QueueUrl: runtime.campaignQueueUrl, AttributeNames: ['QueueArn'] })))
        .Attributes?.QueueArn ?? '';
    for (;;) {
      const message = await nextJob(runtime.sqs);
      if (!message) break;
      jobs += 1;
      // A Lambda whose timeout leaves WORK_SECONDS before the reserve: the job stops then and queues its continuation.
      const context = lambdaContext('campaign', CAMPAIGN_RESERVE_MS / 1000 + WORK_SECONDS, 1024);
      const answer = await runtime.handlers.campaign({ Records: [toSqsRecord(message, queueArn)] }, context);
      expect(answer.batchItemFailures).toEqual([]);
      await runtime.sqs.send(new DeleteMessageCommand({ QueueUrl: runtime.campaignQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
      const { body } = await call(runtime, 'GET', `/v1/campaigns/${id}`);
      if (body.status !== 'sending') break;
    }
    counting = false;
    timings.fanoutMs = Date.now() - started;
    timings.jobs = jobs;
    timings.contactsPerSecond = Math.round(CONTACTS / (timings.fanoutMs / 1000));

    const { body: campaign } = await call(runtime, 'GET', `/v1/campaigns/${id}`);
    expect(campaign).toMatchObject({
      status: 'sent',
      progress: { contacts: CONTACTS, queued: CONTACTS, skipped_unsubscribed: 0, skipped_suppressed: 0, failed: 0 },
    });
    // It had to continue in new jobs: one invocation's budget is far too short for the list.
    expect(jobs).toBeGreaterThan(1);
    expect(await nextJob(runtime.sqs)).toBeUndefined();

    // Every message was created once: one delivery job each on the send queues, and a sample read back.
    let queued = 0;
    for (const QueueUrl of new Set([runtime.queueUrl, runtime.env[ENV.bulkSendQueueUrl] ?? runtime.queueUrl])) {
      const depth = await runtime.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      queued += Number(depth.Attributes?.ApproximateNumberOfMessages);
    }
    expect(queued).toBe(CONTACTS);
    const messages = new DynamoMessageStore(runtime.dynamo, runtime.env[ENV.messagesTable]!);
    const events = new DynamoEventStore(runtime.dynamo, runtime.env[ENV.eventsTable]!);
    const sample = [
      0,
      1,
      99,
      100,
      4_999,
      CONTACTS / 2,
      CONTACTS - 2,
      CONTACTS - 1,
      ...Array.from({ length: 40 }, () => Math.floor(Math.random() * CONTACTS)),
    ];
    for (const i of sample) {
      const messageId = campaignMessageId(id, email(i));
      const stored = await messages.get(messageId);
      expect(stored?.message).toMatchObject({
        tenant: 'dev',
        list: listId,
        campaign: id,
        status: 'queued',
        content: { subject: `News for Reader ${i}`, to: [email(i)] },
      });
      expect(stored?.message.content.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(stored?.recipients).toHaveLength(1);
      expect((await events.list(messageId)).map((e) => e.type)).toEqual(['queued']);
    }
    const store = new DynamoCampaignStore(runtime.dynamo, runtime.env[ENV.campaignsTable]!);
    expect((await store.get('dev', id))?.progress.cursor).toBeUndefined();
  }, 1_800_000);
});
