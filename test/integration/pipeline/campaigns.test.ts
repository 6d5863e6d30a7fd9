/**
 * Campaigns through the local runtime: POST /v1/campaigns queues the fan-out, the campaign
 * poller runs the real handler, each subscribed contact gets one personalised message through
 * the normal pipeline (API → campaign queue → fan-out → send queue → delivery → capture relay),
 * unsubscribed and suppressed contacts are skipped and counted, and the list and campaign
 * figures come from the report counters the events feed.
 */
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../../lib/adapters/dynamodb/api-key-store.ts';
import { DynamoCampaignStore } from '../../../lib/adapters/dynamodb/campaign-store.ts';
import { DynamoListStore } from '../../../lib/adapters/dynamodb/list-store.ts';
import { DynamoUnsubscribeStore } from '../../../lib/adapters/dynamodb/unsubscribe-store.ts';
import { API_KEY_SCOPES, generateApiKey, hashApiKey, keyPrefix } from '../../../lib/domain/api-key.ts';
import { campaignMessageId, type CampaignJob } from '../../../lib/domain/campaign.ts';
import { UNSTORED_JOB_MAX_AGE_MS, unstoredJobDelaySeconds, type DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { ServiceUnavailableError } from '../../../lib/domain/errors.ts';
import { ENV } from '../../../lib/env.ts';
import { createCampaignHandler } from '../../../lib/handlers/campaign-handler.ts';
import type { CapturedMail } from '../../../lib/local/capture-smtp.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { systemClock } from '../../../lib/ports/clock.ts';
import { createCampaign } from '../../../lib/use-cases/campaigns.ts';
import { wireCampaign } from '../../../lib/wiring.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

const MAILTO = 'unsubscribe@acme.example';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const today = () => new Date().toISOString().slice(0, 10);

let runtime: LocalRuntime;
let otherKey: string;

beforeAll(async () => {
  runtime = await startPipeline({
    env: { [ENV.unsubscribeMailto]: MAILTO },
    // A job that finds its message's attempt held by another worker comes back once the lease
    // may have run out (60 s by default): shorter here, still far longer than an attempt, so
    // that waiting until nothing is left to deliver stays short.
    deliveryLeaseMs: 15_000,
  });
  otherKey = generateApiKey();
  await new DynamoApiKeyStore(runtime.dynamo, runtime.env[ENV.apiKeysTable]!).put({
    hash: hashApiKey(otherKey),
    prefix: keyPrefix(otherKey),
    tenant: 'other',
    scopes: [...API_KEY_SCOPES],
    createdAt: new Date().toISOString(),
  });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

/** Creates a list with contacts through the API; returns its id. */
async function listWith(contacts: { email: string; attributes?: Record<string, unknown> }[]): Promise<string> {
  const list = await call(runtime, 'POST', '/v1/lists', { name: `list ${randomUUID().slice(0, 8)}` });
  expect(list.status).toBe(201);
  for (const contact of contacts) expect((await call(runtime, 'POST', `/v1/lists/${list.body.id}/contacts`, contact)).status).toBe(201);
  return list.body.id;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Polls GET /v1/campaigns/{id} until `done` holds. */
function campaignWhen(id: string, done: (campaign: Json) => boolean, timeoutMs = 30_000): Promise<Json> {
  return waitFor(async () => (await call(runtime, 'GET', `/v1/campaigns/${id}`)).body as Json, done, {
    timeout: timeoutMs,
    interval: 100,
    message: `campaign ${id} to get there`,
  });
}

/** Polls a stats route until `done` holds. */
function statsWhen(path: string, done: (stats: Json) => boolean): Promise<Json> {
  return waitFor(
    async () => {
      const { status, body } = await call(runtime, 'GET', path);
      expect(status).toBe(200);
      return body as Json;
    },
    done,
    { timeout: 30_000, interval: 100, message: `${path} to show the expected figures` },
  );
}

const mailsTo = (ids: Set<string>): CapturedMail[] =>
  runtime.capture!.messages().filter((mail) => ids.has(mail.headers.find(([name]) => name.toLowerCase() === 'x-mailroom-id')?.[1] ?? ''));
const header = (mail: CapturedMail, name: string) => mail.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

/** Waits for `count` mails to `ids`, then until the runtime has nothing left that could send another. */
async function mailsArrived(ids: Set<string>, count: number): Promise<CapturedMail[]> {
  await waitFor(
    () => mailsTo(ids).length,
    (arrived) => arrived >= count,
    { timeout: 30_000, interval: 100, message: `${count} campaign mails` },
  );
  // A duplicate would come from a job still queued or in flight: none is left once settled.
  await settled(runtime, 45_000);
  return mailsTo(ids);
}

describe('a campaign to a list with an unsubscribed and a suppressed contact', () => {
  let listId: string;
  let campaignId: string;
  let mails: CapturedMail[];
  const people = ['ann@example.test', 'bob@example.test', 'carl@example.test', 'dora@example.test', 'eve@example.test'];

  beforeAll(async () => {
    listId = await listWith([
      { email: people[0]!, attributes: { first_name: 'Ann', note: '<b>VIP</b> & "friends"' } },
      { email: people[1]!, attributes: { first_name: 'Bob' } },
      { email: people[2]! },
      { email: people[3]!, attributes: { first_name: 'Dora' } },
      { email: people[4]!, attributes: { first_name: 'Eve' } },
    ]);
    // Dora left this list herself; Eve's address is suppressed.
    await new DynamoUnsubscribeStore(runtime.dynamo, runtime.env[ENV.unsubscribesTable]!).put({
      tenant: 'dev',
      email: people[3]!,
      listId,
      createdAt: new Date().toISOString(),
    });
    expect((await call(runtime, 'PUT', `/v1/suppressions/${people[4]}`, { reason: 'manual' })).status).toBe(200);

    const created = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: listId,
      name: 'Spring news',
      from: 'Acme News <news@acme.example>',
      subject: 'Hello {{first_name}}{{#unless first_name}}there{{/unless}}',
      html: '<html><body><p>Hi {{first_name}}, {{note}}</p><p><a href="https://acme.example/spring">Spring sale</a></p><p><a href="https://acme.example/summer?from=news">Summer</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>',
      text: 'Hi {{first_name}}, {{note}}\nUnsubscribe: {{unsubscribe_url}}',
      tags: { kind: 'news' },
    });
    expect(created.status).toBe(202);
    campaignId = created.body.id;
    expect(created.body).toMatchObject({
      list_id: listId,
      name: 'Spring news',
      status: 'sending',
      tracking: { clicks: true, opens: false },
      tags: { kind: 'news' },
    });
    const ids = new Set(people.map((email) => campaignMessageId(campaignId, email)));
    mails = await mailsArrived(ids, 3);
  }, 90_000);

  it('sends to the subscribed, unsuppressed contacts only, once each', () => {
    expect(
      mails
        .map((mail) => mail.envelopeTo)
        .flat()
        .sort(),
    ).toEqual(people.slice(0, 3));
    expect(mails.map((mail) => mail.envelopeFrom)).toEqual(['news@acme.example', 'news@acme.example', 'news@acme.example']);
  });

  it('personalises every part, HTML-escaping values in the html part only', () => {
    const ann = mails.find((mail) => mail.envelopeTo[0] === people[0])!;
    const carl = mails.find((mail) => mail.envelopeTo[0] === people[2])!;
    expect(ann.subject).toBe('Hello Ann');
    expect(carl.subject).toBe('Hello there');
    expect(ann.html).toContain('<p>Hi Ann, &lt;b&gt;VIP&lt;/b&gt; &amp; &quot;friends&quot;</p>');
    expect(ann.text).toContain('Hi Ann, <b>VIP</b> & "friends"');
    expect(carl.text).toContain('Hi , \n');
    // Clicks are tracked by default; the unsubscribe link is left as it is.
    expect(ann.html).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/t\/c\/[^"]+"/);
    expect(ann.html).not.toContain('https://acme.example/spring');
  });

  it('carries List-Unsubscribe (HTTPS link and mailto) and one-click List-Unsubscribe-Post, the link also in the body', () => {
    for (const mail of mails) {
      const list = header(mail, 'List-Unsubscribe') ?? '';
      const match =
        /^<(http:\/\/127\.0\.0\.1:\d+\/u\/[\w-]+\.[\w-]{22})>, <mailto:unsubscribe@acme\.example\?subject=unsubscribe%20[\w.-]+>$/.exec(
          list.replace(/\s+/g, ' '),
        );
      expect(match, list).not.toBeNull();
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.text).toContain(`Unsubscribe: ${match![1]}`);
      expect(mail.html).toContain(`href="${match![1]}"`);
    }
  });

  it('shows its progress and final counts', async () => {
    const campaign = await campaignWhen(campaignId, (c) => c.status === 'sent');
    expect(campaign).toMatchObject({
      id: campaignId,
      status: 'sent',
      progress: { contacts: 5, queued: 3, skipped_unsubscribed: 1, skipped_suppressed: 1, failed: 0 },
      finished_at: expect.any(String),
      html: expect.stringContaining('{{unsubscribe_url}}'),
    });
    const listed = await call(runtime, 'GET', '/v1/campaigns?limit=100');
    expect(listed.status).toBe(200);
    const brief = listed.body.data.find((c: { id: string }) => c.id === campaignId);
    expect(brief).toMatchObject({ status: 'sent', progress: { queued: 3 } });
    expect(brief).not.toHaveProperty('html');
  });

  it('records each message with its list and campaign', async () => {
    const message = await call(runtime, 'GET', `/v1/messages/${campaignMessageId(campaignId, people[0]!)}`);
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ status: 'sent', to: [people[0]], subject: 'Hello Ann', tags: { kind: 'news' } });
    expect((await call(runtime, 'GET', `/v1/messages/${campaignMessageId(campaignId, people[3]!)}`)).status).toBe(404);
  });

  it('shows the figures of the list and of the campaign: sends, clicks, conversions and unsubscribes', async () => {
    const ann = mails.find((mail) => mail.envelopeTo[0] === people[0])!;
    const click = /href="(http:\/\/127\.0\.0\.1:\d+\/t\/c\/[^"]+)"/.exec(ann.html ?? '')![1]!;
    let landing = '';
    for (let i = 0; i < 2; i++) {
      const redirect = await fetch(click, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
      expect(redirect.status).toBe(302);
      landing = redirect.headers.get('location') ?? '';
    }
    // The shop reports a purchase with the attribution token the redirect added.
    const token = new URL(landing).searchParams.get('mr_cv');
    expect(token).toBeTruthy();
    const conversion = await call(runtime, 'POST', '/v1/conversions', { token, value: 42.5, currency: 'EUR', id: 'order-1' });
    expect(conversion.status).toBe(202);
    expect(conversion.body).toMatchObject({ list: listId, campaign: campaignId, value: 42.5, currency: 'EUR' });
    const bob = mails.find((mail) => mail.envelopeTo[0] === people[1])!;
    const unsubscribe = /^<([^>]+)>/.exec(header(bob, 'List-Unsubscribe') ?? '')![1]!;
    const oneClick = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBeLessThan(300);

    const expected = { requested: 3, sent: 3, clicked: 2, clicked_unique: 1, unsubscribed: 1, converted: 1 };
    const reached = (s: Record<string, number>) => Object.entries(expected).every(([k, v]) => s[k] === v);
    const list = await statsWhen(`/v1/lists/${listId}/stats`, reached);
    expect(list).toMatchObject({
      list_id: listId,
      to: today(),
      ...expected,
      delivered: 0,
      bounced: 0,
      complained: 0,
      opened: 0,
      converted_value: { EUR: 42.5 },
    });
    expect(list.rates).toMatchObject({ delivery_rate: 0, click_rate: 0.3333, unsubscribe_rate: 0.3333, open_rate: 0 });
    const campaign = await statsWhen(`/v1/campaigns/${campaignId}/stats?from=${today()}&to=${today()}`, reached);
    expect(campaign).toMatchObject({
      campaign_id: campaignId,
      list_id: listId,
      from: today(),
      to: today(),
      ...expected,
      converted_value: { EUR: 42.5 },
      fanout: { status: 'sent', contacts: 5, queued: 3, skipped_unsubscribed: 1, skipped_suppressed: 1, failed: 0 },
    });
    // A list of another campaign-free range counts nothing.
    const old = await call(runtime, 'GET', `/v1/lists/${listId}/stats?from=2020-01-01&to=2020-01-31`);
    expect(old.body).toMatchObject({ from: '2020-01-01', to: '2020-01-31', sent: 0, rates: { delivery_rate: null } });
  });

  it('counts the clicks per link: every click, and each recipient once per link, most clicked first', async () => {
    // Ann clicked the spring link twice above; Bob now clicks the summer link once.
    const bob = mails.find((mail) => mail.envelopeTo[0] === people[1])!;
    const links = [...(bob.html ?? '').matchAll(/href="(http:\/\/127\.0\.0\.1:\d+\/t\/c\/[^"]+)"/g)].map((m) => m[1]!);
    const summer = await fetch(links[1]!, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    expect(summer.status).toBe(302);
    expect(summer.headers.get('location')).toMatch(/^https:\/\/acme\.example\/summer\?from=news&mr_cv=/);

    const expected = [
      { url: 'https://acme.example/spring', clicks: 2, unique_clicks: 1 },
      { url: 'https://acme.example/summer?from=news', clicks: 1, unique_clicks: 1 },
    ];
    const answer = await waitFor(
      async () => (await call(runtime, 'GET', `/v1/campaigns/${campaignId}/links`)).body as Json,
      (body) => JSON.stringify(body.data) === JSON.stringify(expected),
      { timeout: 30_000, interval: 100, message: 'the clicks per link' },
    );
    expect(answer).toEqual({ campaign_id: campaignId, data: expected, total_links: 2 });
    const first = await call(runtime, 'GET', `/v1/campaigns/${campaignId}/links?limit=1`);
    expect(first.body).toEqual({ campaign_id: campaignId, data: expected.slice(0, 1), total_links: 2 });
  });

  it('is not found for another tenant, and the stats range is checked', async () => {
    const other = (path: string) => fetch(`${runtime.apiUrl}${path}`, { headers: { authorization: `Bearer ${otherKey}` } });
    for (const path of [`/v1/campaigns/${campaignId}`, `/v1/campaigns/${campaignId}/stats`, `/v1/campaigns/${campaignId}/links`]) {
      const response = await other(path);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('campaign_not_found');
    }
    const list = await other(`/v1/lists/${listId}/stats`);
    expect(list.status).toBe(404);
    expect(((await list.json()) as { error: { code: string } }).error.code).toBe('list_not_found');
    expect((await other('/v1/campaigns')).status).toBe(200);
    expect((await call(runtime, 'GET', `/v1/campaigns/${ulid()}`)).status).toBe(404);
    expect((await call(runtime, 'GET', '/v1/lists/nope/stats')).body.error.code).toBe('list_not_found');
    const bad = await call(runtime, 'GET', `/v1/lists/${listId}/stats?from=2026-13-01&to=2026-01-01&x=1`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((p: { field: string }) => p.field).sort()).toEqual(['from', 'x']);
    expect((await call(runtime, 'GET', `/v1/lists/${listId}/stats?from=2026-02-01&to=2026-01-01`)).status).toBe(400);
    expect((await call(runtime, 'GET', `/v1/lists/${listId}/stats?from=2024-01-01&to=2026-01-01`)).status).toBe(400);
  });
});

describe('refused campaigns', () => {
  it('answers a template syntax error with 422 template_error, its part and line, and sends nothing', async () => {
    const listId = await listWith([{ email: 'frank@example.test' }]);
    const before = runtime.capture!.messages().length;
    const answer = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: listId,
      from: 'news@acme.example',
      subject: 'Hi',
      html: '<p>\n{{#if vip}}VIP\n</p>',
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'template_error', details: { part: 'html', line: 3 } });
    const listed = await call(runtime, 'GET', '/v1/campaigns?limit=1000');
    expect(listed.body.data.some((c: { list_id: string }) => c.list_id === listId)).toBe(false);
    // Nothing was queued that could still send: the runtime settles with no new mail.
    await settled(runtime);
    expect(runtime.capture!.messages().length).toBe(before);
  });

  it('counts as failed a contact whose message would render larger than a message may be, and sends the others', async () => {
    const listId = await listWith([
      { email: 'big@example.test', attributes: { bio: 'x'.repeat(2048) } },
      { email: 'small@example.test', attributes: { bio: 'short' } },
    ]);
    const created = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: listId,
      from: 'news@acme.example',
      subject: 'Bio',
      text: '{{bio}}'.repeat(130),
    });
    expect(created.status).toBe(202);
    const done = await campaignWhen(created.body.id, (c) => c.status === 'sent');
    expect(done.progress).toEqual({ contacts: 2, queued: 1, skipped_unsubscribed: 0, skipped_suppressed: 0, failed: 1 });
    const mails = await mailsArrived(
      new Set(['big@example.test', 'small@example.test'].map((email) => campaignMessageId(created.body.id, email))),
      1,
    );
    expect(mails.map((m) => m.envelopeTo[0])).toEqual(['small@example.test']);
  });

  it('counts as failed a contact whose quoted address a relay would deliver elsewhere, and sends the others', async () => {
    // nodemailer would turn "a<b" into "a b" in the envelope: another mailbox.
    const listId = await listWith([{ email: '"a<b"@example.test' }, { email: 'plain@example.test' }]);
    const created = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: listId,
      from: 'news@acme.example',
      subject: 'Hi',
      text: 'Hello',
    });
    expect(created.status).toBe(202);
    const done = await campaignWhen(created.body.id, (c) => c.status === 'sent');
    expect(done.progress).toEqual({ contacts: 2, queued: 1, skipped_unsubscribed: 0, skipped_suppressed: 0, failed: 1 });
    const mails = await mailsArrived(new Set([campaignMessageId(created.body.id, 'plain@example.test')]), 1);
    expect(mails.map((m) => m.envelopeTo)).toEqual([['plain@example.test']]);
  });

  it('answers 404 list_not_found for an unknown list, 400 naming the fields of an invalid body', async () => {
    const missing = await call(runtime, 'POST', '/v1/campaigns', { list_id: ulid(), from: 'news@acme.example', subject: 'Hi', text: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('list_not_found');
    const invalid = await call(runtime, 'POST', '/v1/campaigns', { from: 'nope', subject: 'a\r\nb' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((p: { field: string }) => p.field).sort()).toEqual(['from', 'list_id', 'subject', 'text']);
  });
});

/** An SQS event holding one campaign job, as the event source would hand it over. */
function jobEvent(job: CampaignJob, receiveCount = 1): SQSEvent {
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: 'r',
        body: JSON.stringify(job),
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: '0',
          SenderId: 'x',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

/** Stores a campaign without queueing its job (the test runs it); `enqueue` stands in for the campaign queue. */
function storeCampaign(listId: string, fields: Record<string, unknown>, enqueue = async () => undefined, id = ulid()) {
  return createCampaign(
    {
      campaigns: new DynamoCampaignStore(runtime.dynamo, runtime.env[ENV.campaignsTable]!),
      lists: new DynamoListStore(runtime.dynamo, runtime.env[ENV.listsTable]!),
      campaignQueue: { enqueue },
      clock: systemClock,
      newId: () => id,
      log: memoryLog(),
    },
    'dev',
    { list_id: listId, from: 'news@acme.example', ...fields },
    runtime.apiUrl,
  );
}

describe('a new campaign', () => {
  it('is not stored when the queue refuses its fan-out: the answer is 503, and nothing stays sending', async () => {
    const listId = await listWith([{ email: 'n0@new.test' }]);
    const id = ulid();
    const refused = storeCampaign(listId, { subject: 'New', text: 'Hello' }, () => Promise.reject(new Error('queue unavailable')), id);
    await expect(refused).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(await new DynamoCampaignStore(runtime.dynamo, runtime.env[ENV.campaignsTable]!).get('dev', id)).toBeUndefined();
  });

  it('has its fan-out wait for it while it is not stored yet, and dropped once five minutes old', async () => {
    const log = memoryLog();
    const deps = await wireCampaign(runtime.env, { dynamo: runtime.dynamo, sqs: runtime.sqs, log });
    const requeued: { job: CampaignJob; delaySeconds?: number }[] = [];
    deps.campaignQueue = { enqueue: async (job, delaySeconds) => void requeued.push({ job, delaySeconds }) };
    const run = (job: CampaignJob) => createCampaignHandler(deps)(jobEvent(job), lambdaContext('campaign', 900));
    const now = Date.now();

    const early: CampaignJob = { v: 1, kind: 'fanout', tenant: 'dev', campaignId: ulid(), enqueuedAt: now - 2_500 };
    expect((await run(early)).batchItemFailures).toEqual([]);
    expect(requeued).toEqual([{ job: early, delaySeconds: expect.any(Number) }]);
    expect(requeued[0]!.delaySeconds).toBeGreaterThanOrEqual(unstoredJobDelaySeconds(2_500));

    const late: CampaignJob = { v: 1, kind: 'fanout', tenant: 'dev', campaignId: ulid(), enqueuedAt: now - UNSTORED_JOB_MAX_AGE_MS };
    expect((await run(late)).batchItemFailures).toEqual([]);
    expect(requeued).toHaveLength(1);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'fan-out dropped: its campaign was never stored',
        extra: expect.objectContaining({ campaignId: late.campaignId }),
      }),
    );
  });
});

describe('a fan-out out of time', () => {
  it('stops after a page when its time is nearly up and goes on in a new job, to the end', async () => {
    const people = Array.from({ length: 7 }, (_, i) => `q${i}@pages.test`);
    const listId = await listWith(people.map((email) => ({ email })));
    const campaign = await storeCampaign(listId, { subject: 'Pages', text: 'Hello {{email}}' });
    const deps = await wireCampaign(runtime.env, { dynamo: runtime.dynamo, sqs: runtime.sqs, log: memoryLog() });
    const continued: CampaignJob[] = [];
    deps.campaignQueue = { enqueue: async (job) => void continued.push(job) };
    deps.pageSize = 2;
    const handler = createCampaignHandler(deps);
    // An invocation with less time left than the reserve: one page, then it stops.
    const late = { ...lambdaContext('campaign', 900), getRemainingTimeInMillis: () => 1000 };
    let job: CampaignJob | undefined = { v: 1, kind: 'fanout', tenant: 'dev', campaignId: campaign.id };
    const seen: number[] = [];
    while (job) {
      expect((await handler(jobEvent(job), late)).batchItemFailures).toEqual([]);
      seen.push((await call(runtime, 'GET', `/v1/campaigns/${campaign.id}`)).body.progress.contacts);
      job = continued.shift();
    }
    expect(seen).toEqual([2, 4, 6, 7]);
    const done = await campaignWhen(campaign.id, (c) => c.status === 'sent');
    expect(done.progress).toMatchObject({ contacts: 7, queued: 7 });
    const mails = await mailsArrived(new Set(people.map((email) => campaignMessageId(campaign.id, email))), 7);
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(people);
  }, 90_000);

  it('marks the campaign failed with the reason when its last try fails, and not before', async () => {
    const listId = await listWith([{ email: 'r0@fail.test' }]);
    const campaign = await storeCampaign(listId, { subject: 'Fails', text: 'x' });
    const deps = await wireCampaign(runtime.env, { dynamo: runtime.dynamo, sqs: runtime.sqs, log: memoryLog() });
    deps.contacts = {
      ...deps.contacts,
      page: async () => Promise.reject(new Error('the contacts table is unavailable')),
    } as typeof deps.contacts;
    const handler = createCampaignHandler(deps);
    const job: CampaignJob = { v: 1, kind: 'fanout', tenant: 'dev', campaignId: campaign.id };
    expect((await handler(jobEvent(job, 2), lambdaContext('campaign', 900))).batchItemFailures).toHaveLength(1);
    expect((await call(runtime, 'GET', `/v1/campaigns/${campaign.id}`)).body.status).toBe('sending');
    expect((await handler(jobEvent(job, 3), lambdaContext('campaign', 900))).batchItemFailures).toEqual([]);
    const failed = (await call(runtime, 'GET', `/v1/campaigns/${campaign.id}`)).body;
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('failed 3 times'), finished_at: expect.any(String) });
    expect(failed.error).not.toContain('unavailable');
  });
});

describe('a fan-out page handled again', () => {
  it('creates no message twice and counts the page once, after a run failed halfway through it', async () => {
    const people = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, '0')}@again.test`);
    const listId = await listWith(people.map((email) => ({ email })));
    const log = memoryLog();
    const campaign = await storeCampaign(listId, { subject: 'Again {{email}}', text: 'Hello' });
    const job: CampaignJob = { v: 1, kind: 'fanout', tenant: 'dev', campaignId: campaign.id };
    const event = jobEvent(job);
    const invoke = (handler: (e: SQSEvent, c: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>) =>
      handler(event, lambdaContext('campaign', 900));

    // First run: the first 10 jobs are enqueued, then the queue fails (before any message is written).
    const deps = await wireCampaign(runtime.env, { dynamo: runtime.dynamo, sqs: runtime.sqs, log });
    const real = deps.queue;
    let calls = 0;
    deps.queue = {
      enqueue: async (jobs: DeliveryJob[], delay?: number) => {
        if (++calls > 1) throw new Error('the queue is unavailable');
        return real.enqueue(jobs, delay);
      },
      deadLetter: (j, reason) => real.deadLetter(j, reason),
    };
    deps.concurrency = 1;
    const failed = await invoke(createCampaignHandler(deps));
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    const pending = await call(runtime, 'GET', `/v1/campaigns/${campaign.id}`);
    expect(pending.body).toMatchObject({ status: 'sending', progress: { contacts: 0, queued: 0 } });

    // The retry takes the page again: existing messages stay, every job is enqueued again.
    expect((await invoke(runtime.handlers.campaign)).batchItemFailures).toEqual([]);
    const stored = await campaignWhen(campaign.id, (c) => c.status === 'sent');
    expect(stored.progress).toEqual({ contacts: 12, queued: 12, skipped_unsubscribed: 0, skipped_suppressed: 0, failed: 0 });

    const ids = new Set(people.map((email) => campaignMessageId(campaign.id, email)));
    const mails = await mailsArrived(ids, 12);
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(people);
    for (const email of people.slice(0, 3)) {
      const message = await call(runtime, 'GET', `/v1/messages/${campaignMessageId(campaign.id, email)}`);
      expect(message.body.events.filter((e: { type: string }) => e.type === 'queued')).toHaveLength(1);
    }

    // The same job once more: the campaign is sent, nothing happens.
    expect((await invoke(runtime.handlers.campaign)).batchItemFailures).toEqual([]);
    // Whatever that run could have queued is handled once the runtime settles.
    await settled(runtime);
    expect(mailsTo(ids)).toHaveLength(12);
    expect((await call(runtime, 'GET', `/v1/campaigns/${campaign.id}`)).body.progress.queued).toBe(12);
  }, 90_000);

  it('delivers the messages a run stored before its last try failed: their jobs went first', async () => {
    const people = ['s0@stored.test', 's1@stored.test', 's2@stored.test'];
    const listId = await listWith(people.map((email) => ({ email })));
    const campaign = await storeCampaign(listId, { subject: 'Stored', text: 'Hello' });
    const deps = await wireCampaign(runtime.env, { dynamo: runtime.dynamo, sqs: runtime.sqs, log: memoryLog() });
    // The page's messages are written, then the events table fails.
    const real = deps.batchWriter;
    deps.batchWriter = {
      writeNew: async (messages) => {
        await real.writeNew(messages, []);
        throw new Error('the events table is unavailable');
      },
    };
    const job: CampaignJob = { v: 1, kind: 'fanout', tenant: 'dev', campaignId: campaign.id };
    expect((await createCampaignHandler(deps)(jobEvent(job, 3), lambdaContext('campaign', 900))).batchItemFailures).toEqual([]);
    expect((await call(runtime, 'GET', `/v1/campaigns/${campaign.id}`)).body.status).toBe('failed');

    const ids = new Set(people.map((email) => campaignMessageId(campaign.id, email)));
    const mails = await mailsArrived(ids, 3);
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(people);
    for (const id of ids) expect((await waitForMessage(runtime, id, (m) => m.status === 'sent')).status).toBe('sent');
  }, 90_000);
});
