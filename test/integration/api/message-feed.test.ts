/**
 * GET /v1/messages, the activity feed, through the real API handler on DynamoDB Local: order,
 * pages, every filter alone and with times, tenants kept apart, list rows that agree with the
 * single-message view, and what it refuses. Messages are accepted through the API (a clock the
 * test sets gives them their times) or, for a campaign's page and a scheduled message made from
 * a stored template under a fixed id, written by the stores that make them; statuses move through
 * the store's own writes, as delivery and SES events move them.
 */
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageBatchWriter } from '../../../lib/adapters/dynamodb/message-batch-writer.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import type { RecipientRecord, StoredMessage } from '../../../lib/domain/message.ts';
import { FEED } from '../../../lib/topology.ts';
import { clockAt } from '../../support/fakes/clock.ts';
import { storedMessage } from '../dynamodb/factories.ts';
import { apiHarness, expectErrorDocument, problemFields, sendBody, type Answer, type ApiHarness } from './harness.ts';

// To the second, so that the times below have whole seconds; recent, as TTL deletes old items.
const BASE = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();
const clock = clockAt(BASE);

let api: ApiHarness;
let store: DynamoMessageStore;
let key: string;
let otherKey: string;
let crowdKey: string;
/** Tenant A's messages by name, oldest (m1) to newest (m5). */
const m: Record<string, string> = {};
const CAMPAIGN = '01JCAMPA1GN0000000000000AA';

beforeAll(async () => {
  api = await apiHarness({ adjust: (deps) => ({ ...deps, clock }) });
  store = new DynamoMessageStore(api.dynamo, api.tables.messages, { feedTable: api.tables.feed });
  [key, otherKey, crowdKey] = await Promise.all([api.newKey('feed-a'), api.newKey('feed-b'), api.newKey('feed-c')]);

  const send = async (seconds: number, body: Record<string, unknown>, as = key) => {
    clock.set(at(seconds));
    const answer = await api.call('POST', '/v1/messages', { key: as, body: sendBody(body) });
    expect(answer.status, answer.text).toBe(202);
    return answer.body.id as string;
  };
  m.m1 = await send(1, { to: 'ann@example.com', tags: { kind: 'receipt' } });
  m.m2 = await send(2, { to: 'Bob <bob@Example.COM>', cc: 'ann@example.com', tags: { kind: 'news' }, subject: 'News' });
  m.m3 = await send(3, { to: 'carl@example.com', bcc: 'ann@example.com', tags: { kind: 'receipt', order: '42' } });
  // A campaign's message, as the campaign function writes a page (one recipient, list and campaign).
  const campaignMessage = withFields(storedMessage({ id: ulid(), tenant: 'feed-a', createdAt: at(4), recipients: ['dora@example.com'] }), {
    list: '01JL1ST0000000000000000000',
    campaign: CAMPAIGN,
  });
  await new DynamoMessageBatchWriter(api.dynamo, {
    messages: api.tables.messages,
    events: api.tables.events,
    feed: api.tables.feed,
  }).writeNew([campaignMessage], []);
  m.m4 = campaignMessage.message.id;
  // A message made from a stored template and scheduled for later, as acceptance stores one.
  const templated = withFields(storedMessage({ id: ulid(), tenant: 'feed-a', createdAt: at(5), recipients: ['erin@example.com'] }), {
    template: { id: 'welcome', version: 2 },
    status: 'scheduled',
    sendAt: at(3600),
  });
  await store.create(templated);
  m.m5 = templated.message.id;
  await api.drainJobs();

  // Another tenant with the same recipients, tags, campaign and template.
  await send(3, { to: 'ann@example.com', tags: { kind: 'receipt', order: '42' } }, otherKey);
  const theirs = withFields(storedMessage({ id: ulid(), tenant: 'feed-b', createdAt: at(4), recipients: ['ann@example.com'] }), {
    campaign: CAMPAIGN,
    template: { id: 'welcome', version: 1 },
  });
  await store.create(theirs);
  await api.drainJobs();

  // Statuses, moved as delivery moves them: m1 deferred, m2 failed, m3 bounced.
  await attempt(m.m1, 'deferred', at(10));
  await store.markFailed(m.m2, at(11));
  await attempt(m.m3, 'bounced', at(12));
});
afterAll(() => api.close());

/** A stored message with more fields (a campaign's, a template's). */
function withFields(stored: StoredMessage, fields: Record<string, unknown>): StoredMessage {
  return { ...stored, message: { ...stored.message, ...fields } };
}

/** One delivery attempt of a message that ends with every recipient in `status`. */
async function attempt(id: string, status: RecipientRecord['status'], when: string): Promise<void> {
  const claimed = await store.claim(id, 1, Date.parse(when), Date.parse(when) + 60_000);
  if (claimed.kind !== 'claimed') throw new Error(`could not claim ${id}: ${claimed.kind}`);
  const recipients = claimed.stored.recipients.map((r) => ({ ...r, status, attempts: 1, updatedAt: when }));
  await store.complete(id, 1, recipients, status, when);
}

const list = (query: Record<string, string> = {}, as = key): Promise<Answer> => api.call('GET', '/v1/messages', { key: as, query });

/** The ids of one page, after checking it is a 200 listing. */
async function ids(query: Record<string, string> = {}, as = key): Promise<string[]> {
  const answer = await list(query, as);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.data.map((item: { id: string }) => item.id);
}

/** Every item of a listing, page by page; fails on a repeated id. */
async function everything(query: Record<string, string>, as = key): Promise<{ id: string; created_at: string }[]> {
  const items: { id: string; created_at: string }[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 500; pages++) {
    const answer = await list({ ...query, ...(cursor && { cursor }) }, as);
    expect(answer.status, answer.text).toBe(200);
    items.push(...answer.body.data);
    cursor = answer.body.next_cursor;
    if (cursor === null) break;
  }
  expect(cursor).toBeNull();
  expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  return items;
}

const names = (...list: string[]) => list.map((name) => m[name]);

describe('GET /v1/messages', () => {
  it('lists the tenant’s messages newest first, each with the listing fields', async () => {
    const answer = await list();
    expect(answer.status).toBe(200);
    expect(answer.body.next_cursor).toBeNull();
    expect(answer.body.data.map((item: { id: string }) => item.id)).toEqual(names('m5', 'm4', 'm3', 'm2', 'm1'));
    expect(answer.body.data[3]).toEqual({
      id: m.m2,
      status: 'failed',
      created_at: at(2),
      from: 'Shop <orders@shop.example>',
      to: ['Bob <bob@example.com>'],
      subject: 'News',
      tags: { kind: 'news' },
    });
    // A scheduled message shows when it is to be sent, and a template's message which one.
    expect(answer.body.data[0]).toMatchObject({
      id: m.m5,
      status: 'scheduled',
      send_at: at(3600),
      template: { id: 'welcome', version: 2 },
    });
    expect(answer.body.data[1]).not.toHaveProperty('send_at');
    expect(answer.body.data[1]).not.toHaveProperty('template');
  });

  it('shows each message as GET /v1/messages/{id} shows it, field for field', async () => {
    const fields = ['id', 'status', 'created_at', 'send_at', 'from', 'to', 'subject', 'template', 'tags'];
    for (const item of (await list()).body.data as Record<string, unknown>[]) {
      const single = await api.call('GET', `/v1/messages/${String(item.id)}`, { key });
      expect(single.status, single.text).toBe(200);
      const view = Object.fromEntries(fields.filter((field) => field in single.body).map((field) => [field, single.body[field]]));
      expect(item).toEqual(view);
    }
  });

  it('lists a scheduled message as queued once its time has come, as GET shows it, though it is stored as scheduled', async () => {
    const before = clock.now().getTime();
    clock.set(at(3601));
    try {
      expect(await ids({ status: 'scheduled' })).toEqual([]);
      expect(await ids({ status: 'queued' })).toEqual(names('m5', 'm4'));
      const [item] = (await list({ template: 'welcome' })).body.data;
      expect(item).toMatchObject({ id: m.m5, status: 'queued', send_at: at(3600) });
      expect((await api.call('GET', `/v1/messages/${m.m5}`, { key })).body.status).toBe('queued');
    } finally {
      clock.set(before);
    }
  });

  it('finds a message sent with a stored template by the template’s id, with the version it used', async () => {
    const templateKey = await api.newKey('feed-t');
    const body = { name: 'Welcome', subject: 'Hello {{name}}', text: 'Hello {{name}}.' };
    const template = await api.call('POST', '/v1/templates', { key: templateKey, body });
    expect(template.status, template.text).toBe(201);
    const id = template.body.id as string;
    const sendWith = async () => {
      const payload = { ...sendBody({ subject: undefined, text: undefined }), template: { id, data: { name: 'Ann' } } };
      const sent = await api.call('POST', '/v1/messages', { key: templateKey, body: payload });
      expect(sent.status, sent.text).toBe(202);
      return sent.body.id as string;
    };
    const first = await sendWith();
    expect((await api.call('PUT', `/v1/templates/${id}`, { key: templateKey, body: { ...body, subject: 'Hi {{name}}' } })).status).toBe(
      200,
    );
    const second = await sendWith();
    const rows = (await list({ template: id }, templateKey)).body.data;
    expect(rows.map((row: { id: string }) => row.id).sort()).toEqual([first, second].sort());
    const byId = new Map(rows.map((row: { id: string; template: unknown; subject: string }) => [row.id, row]));
    expect(byId.get(first)).toMatchObject({ template: { id, version: 1 }, subject: 'Hello Ann' });
    expect(byId.get(second)).toMatchObject({ template: { id, version: 2 }, subject: 'Hi Ann' });
    expect(await ids({ template: id })).toEqual([]);
  });

  it('answers an empty page for a tenant with no messages, and needs the read scope', async () => {
    expect(await list({}, await api.newKey('feed-empty'))).toMatchObject({ status: 200, body: { data: [], next_cursor: null } });
    expectErrorDocument(await list({}, await api.newKey('feed-a', ['send'])), 403, 'forbidden');
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['a recipient, in to, cc or bcc', { to: 'ann@example.com' }, ['m3', 'm2', 'm1']],
    ['a recipient written as the send path normalises it (domain in any case)', { to: 'bob@EXAMPLE.com' }, ['m2']],
    ['a recipient whose local part differs in case (kept as written)', { to: 'Ann@example.com' }, []],
    ['a tag', { tag: 'kind=receipt' }, ['m3', 'm1']],
    ['another tag of the same message', { tag: 'order=42' }, ['m3']],
    ['a campaign', { campaign: CAMPAIGN }, ['m4']],
    ['a template', { template: 'welcome' }, ['m5']],
    ['an indexed status: deferred', { status: 'deferred' }, ['m1']],
    ['an indexed status: failed', { status: 'failed' }, ['m2']],
    ['an indexed status: bounced', { status: 'bounced' }, ['m3']],
    ['an indexed status: scheduled', { status: 'scheduled' }, ['m5']],
    ['an indexed status no message has: canceled', { status: 'canceled' }, []],
    ['a status read from the tenant’s messages: queued', { status: 'queued' }, ['m4']],
    ['a status no message has', { status: 'delivered' }, []],
    ['after', { after: at(3) }, ['m5', 'm4']],
    ['before', { before: at(2) }, ['m1']],
    ['after and before', { after: at(1), before: at(4) }, ['m3', 'm2']],
    ['a time with an offset and a fraction', { after: new Date(BASE + 2500).toISOString().replace('Z', '+00:00') }, ['m5', 'm4', 'm3']],
    ['a recipient after a time', { to: 'ann@example.com', after: at(1) }, ['m3', 'm2']],
    ['a recipient before a time', { to: 'ann@example.com', before: at(3) }, ['m2', 'm1']],
    ['a tag between times', { tag: 'kind=receipt', after: at(2), before: at(4) }, ['m3']],
    ['a campaign after its message', { campaign: CAMPAIGN, after: at(4) }, []],
    ['a template before its message', { template: 'welcome', before: at(6) }, ['m5']],
    ['an indexed status between times', { status: 'bounced', after: at(2), before: at(4) }, ['m3']],
    ['an indexed status outside them', { status: 'failed', after: at(2) }, []],
    ['a read status before a time', { status: 'queued', before: at(5) }, ['m4']],
    ['a recipient and a tag', { to: 'ann@example.com', tag: 'kind=receipt' }, ['m3', 'm1']],
    ['a recipient and a status', { to: 'ann@example.com', status: 'failed' }, ['m2']],
    ['a tag and an indexed status', { tag: 'kind=receipt', status: 'deferred' }, ['m1']],
    ['a campaign and a status', { campaign: CAMPAIGN, status: 'queued' }, ['m4']],
    ['a template and a recipient it was not sent to', { template: 'welcome', to: 'ann@example.com' }, []],
    ['everything at once', { to: 'ann@example.com', tag: 'order=42', status: 'bounced', after: at(2), before: at(4) }, ['m3']],
  ])('filters by %s', async (_, query, expected) => {
    expect(await ids(query)).toEqual(names(...expected));
  });

  it('never shows another tenant’s messages, whatever the filter', async () => {
    const theirs = await ids({}, otherKey);
    expect(theirs).toHaveLength(2);
    const queries: Record<string, string>[] = [
      {},
      { to: 'ann@example.com' },
      { tag: 'kind=receipt' },
      { campaign: CAMPAIGN },
      { template: 'welcome' },
    ];
    for (const query of queries) {
      const mine = await ids(query);
      expect(
        mine.filter((id) => theirs.includes(id)),
        JSON.stringify(query),
      ).toEqual([]);
      expect(
        (await ids(query, otherKey)).filter((id) => Object.values(m).includes(id)),
        JSON.stringify(query),
      ).toEqual([]);
    }
    expect(await ids({ status: 'queued' }, otherKey)).toEqual(theirs);
  });

  it('refuses another tenant’s cursor, and another listing’s', async () => {
    const theirs = await list({ limit: '1' }, otherKey);
    expect(theirs.body.next_cursor).toEqual(expect.any(String));
    const refused = await list({ limit: '1', cursor: theirs.body.next_cursor });
    expectErrorDocument(refused, 400, 'invalid_request');
    expect(problemFields(refused)).toEqual(['cursor']);
    const mine = await list({ limit: '1', tag: 'kind=receipt' });
    expect(problemFields(await list({ limit: '1', tag: 'kind=news', cursor: mine.body.next_cursor }))).toEqual(['cursor']);
    expect(problemFields(await list({ limit: '1', cursor: mine.body.next_cursor }))).toEqual(['cursor']);
    // The same listing goes on.
    expect(await ids({ limit: '1', tag: 'kind=receipt', cursor: mine.body.next_cursor })).toEqual(names('m1'));
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unknown status', { status: 'lost' }, 'status'],
    ['an address that is not one', { to: 'ann@' }, 'to'],
    ['a tag without a value', { tag: 'kind' }, 'tag'],
    ['a tag without a name', { tag: '=receipt' }, 'tag'],
    ['a tag value with a line break', { tag: 'kind=a\nb' }, 'tag'],
    ['a day instead of a time', { after: '2026-03-01' }, 'after'],
    ['a time that does not exist', { before: '2026-02-30T00:00:00Z' }, 'before'],
    ['a time without an offset', { before: '2026-03-01T00:00:00' }, 'before'],
    ['before not later than after', { after: at(2), before: at(2) }, 'before'],
    ['a campaign id with other characters', { campaign: '../x' }, 'campaign'],
    ['an empty template', { template: '' }, 'template'],
    ['a limit of 0', { limit: '0' }, 'limit'],
    ['a limit over 1000', { limit: '1001' }, 'limit'],
    ['a limit that is not a number', { limit: 'ten' }, 'limit'],
    ['an empty cursor', { cursor: '' }, 'cursor'],
    ['a misspelt filter', { stauts: 'failed' }, 'stauts'],
  ])('answers 400 naming the field for %s', async (_, query, field) => {
    const answer = await list(query);
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual([field]);
  });

  it('answers any query with a page or a 400, never with a failure', async () => {
    const parameter = fc.constantFrom('limit', 'cursor', 'status', 'to', 'tag', 'after', 'before', 'template', 'campaign', 'x');
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('bounced', 'queued', 'ann@example.com', 'kind=receipt', at(2), '5', CAMPAIGN, 'welcome'),
      fc.base64String({ maxLength: 80 }).map((b) => b.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(parameter, value, { maxKeys: 4 }), async (query) => {
        const answer = await list(query);
        if (answer.status === 200) expect(Array.isArray(answer.body.data)).toBe(true);
        else expectErrorDocument(answer, 400, 'invalid_request');
      }),
      { numRuns: 150 },
    );
  });

  describe('many messages accepted in the same millisecond', () => {
    const sent: string[] = [];

    beforeAll(async () => {
      clock.set(at(20));
      const batch = Array.from({ length: 100 }, (_, i) => sendBody({ to: `p${i}@example.com`, tags: { run: 'crowd' } }));
      const answer = await api.call('POST', '/v1/messages/batch', { key: crowdKey, body: { messages: batch } });
      expect(answer.status, answer.text).toBe(202);
      sent.push(...answer.body.results.map((r: { id: string }) => r.id));
      for (let i = 0; i < 7; i++) {
        clock.set(at(21 + i));
        const one = await api.call('POST', '/v1/messages', { key: crowdKey, body: sendBody({ tags: { run: 'crowd' } }) });
        sent.push(one.body.id);
      }
      await api.drainJobs();
    });

    it('answers 400 for a cursor that was tampered with, or made before the tenant’s messages were sharded', async () => {
      // A listing with a time range, so that a key outside the range is out of place too; paged
      // until a cursor holds a shard's key (a shard taken from and not read to its end).
      const query = { limit: '2', after: at(0) };
      let cursor: string | undefined;
      let decoded: { q: string; s: unknown[] } = { q: '', s: [] };
      for (let page = 0; page < 20 && !decoded.s.some(Array.isArray); page++) {
        const answer = await list({ ...query, ...(cursor && { cursor }) }, crowdKey);
        cursor = answer.body.next_cursor as string;
        decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { q: string; s: unknown[] };
      }
      expect(decoded.s).toHaveLength(FEED.shards + 1);
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      const keyOf = decoded.s.find(Array.isArray) as string[];
      const [pk, sk, , createdAt] = keyOf;
      const tampered = [
        `${cursor!.slice(0, -2)}!!`,
        cursor!.slice(0, -3),
        encode({ ...decoded, q: 'AAAAAAAAAAAAAAAA' }),
        encode({ ...decoded, s: [...decoded.s, 0] }),
        encode({ ...decoded, s: decoded.s.map((s) => (Array.isArray(s) ? [...s, 'x'] : s)) }),
        encode({ ...decoded, s: decoded.s.map((s) => (Array.isArray(s) ? s.map((v, i) => (i === 2 ? 'feed-b#0' : v)) : s)) }),
        encode({ ...decoded, s: decoded.s.map((s) => (Array.isArray(s) ? s.map((v, i) => (i === 2 ? 'feed-c' : v)) : s)) }),
        encode({
          ...decoded,
          s: decoded.s.map((s) => (Array.isArray(s) ? s.map((v, i) => (i === 3 ? '2000-01-01T00:00:00.000Z' : v)) : s)),
        }),
        encode({ ...decoded, s: decoded.s.map((s) => (Array.isArray(s) ? s.map(() => 5) : s)) }),
        encode({ ...decoded, s: decoded.s.map(() => 2) }),
        encode(keyOf),
        encode('x'),
        'x'.repeat(9000),
        // The shapes of the cursors made when the tenant's messages were one partition: the
        // feed's, with one shard, and the store's (the index's LastEvaluatedKey).
        encode({ q: decoded.q, s: [[pk, sk, 'feed-c', createdAt]] }),
        encode({ pk, sk, tenant: 'feed-c', createdAt }),
      ];
      for (const value of tampered) {
        const answer = await list({ ...query, cursor: value }, crowdKey);
        expectErrorDocument(answer, 400, 'invalid_request');
        expect(problemFields(answer), value).toEqual(['cursor']);
      }
    });

    it.each<[string, Record<string, string>]>([
      ['the tenant’s messages (its shards and its unsharded partition merged)', { limit: '9' }],
      ['a tag (its shards merged)', { tag: 'run=crowd', limit: '11' }],
      ['a tag, a page at a time of one', { tag: 'run=crowd', limit: '1' }],
      ['a tag, in pages of the largest size', { tag: 'run=crowd', limit: '1000' }],
    ])('pages through %s: each once, none missing, newest first', async (_, query) => {
      const items = await everything(query, crowdKey);
      expect(items.map((i) => i.id).sort()).toEqual([...sent].sort());
      for (let i = 1; i < items.length; i++) expect(items[i]!.created_at <= items[i - 1]!.created_at).toBe(true);
      expect(items.slice(0, 7).map((i) => i.id)).toEqual(sent.slice(100).reverse());
    });
  });
});
