import { DeleteItemCommand, DescribeTableCommand, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageExistsError, StaleAttemptError, UnknownRecipientError } from '../../../lib/adapters/dynamodb/errors.ts';
import { DynamoEventStore } from '../../../lib/adapters/dynamodb/event-store.ts';
import { DynamoMessageBatchWriter } from '../../../lib/adapters/dynamodb/message-batch-writer.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import type { RecipientRecord } from '../../../lib/domain/message.ts';
import { MAX_RECIPIENTS } from '../../../lib/domain/send-request.ts';
import { itemSize } from '../../../bench/aws-counter.ts';
import { packBodies } from '../../../lib/domain/packed-bodies.ts';
import { recordingClient } from '../../support/recorded-calls.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, iso, mailEvent, storedMessage, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let feedTable: string;
let eventsTable: string;
let store: DynamoMessageStore;

beforeAll(async () => {
  ({ messages: table, feed: feedTable, events: eventsTable } = await freshTables(client));
  store = new DynamoMessageStore(client, table, { retentionDays: 10 });
});
afterAll(() => client.destroy());

async function rawItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  const result = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk, sk }), ConsistentRead: true }));
  return result.Item && unmarshall(result.Item);
}

const LEASE = 60_000;

describe('DynamoMessageStore', () => {
  it('stores a message with its recipients and reads it back unchanged, recipients in the order given', async () => {
    const stored = storedMessage();
    await store.create(stored);
    expect(await store.get(stored.message.id)).toEqual(stored);

    const expiresAt = T0 / 1000 + 10 * 86_400;
    const messageItem = await rawItem(stored.message.id, '#');
    expect(messageItem?.expiresAt).toBe(expiresAt);
    // The recipients live in the message item; the bodies in an item of their own, written once.
    expect(Object.keys(messageItem?.rcpt as object)).toEqual(expect.arrayContaining(stored.recipients.map((r) => r.email)));
    expect(messageItem?.content).not.toHaveProperty('text');
    expect(messageItem?.content).not.toHaveProperty('html');
    const bodyItem = await rawItem(stored.message.id, 'b');
    expect(bodyItem).toMatchObject({ expiresAt });
    // Deflated: nothing of the text is readable in the item.
    expect(bodyItem?.z).toBeInstanceOf(Uint8Array);
    expect(JSON.stringify(bodyItem)).not.toContain(stored.message.content.text);
    // Only message items are in the byTenant index.
    expect(bodyItem).not.toHaveProperty('tenant');
    expect(bodyItem).not.toHaveProperty('createdAt');
  });

  it('writes a message whose id is new, its body, its feed entries and its events in one request, across three tables', async () => {
    const { client: counting, calls } = recordingClient();
    const writer = new DynamoMessageBatchWriter(counting, { messages: table, events: eventsTable, feed: feedTable }, { retentionDays: 10 });
    const stored = storedMessage();
    const queued = stored.recipients.map((r) => mailEvent(stored.message.id, 'queued', iso(), { recipient: r.email, attempt: 0 }));
    await writer.writeNew([stored], queued);
    expect(calls).toEqual([{ command: 'BatchWriteItemCommand', tables: [table, feedTable, eventsTable] }]);
    expect(await store.get(stored.message.id)).toEqual(stored);
    expect((await rawItem(stored.message.id, 'b'))?.z).toBeInstanceOf(Uint8Array);
    const recorded = await new DynamoEventStore(client, eventsTable).list(stored.message.id);
    expect(recorded).toHaveLength(queued.length);
    expect(recorded).toEqual(expect.arrayContaining(queued));
    const { Count } = await client.send(new ScanCommand({ TableName: feedTable, Select: 'COUNT' }));
    expect(Count).toBeGreaterThanOrEqual(stored.recipients.length);

    // More items than one call carries (25): several calls, every item written.
    calls.length = 0;
    const many = storedMessage({ recipients: Array.from({ length: 40 }, (_, i) => `r${i}@example.com`) });
    const manyQueued = many.recipients.map((r) => mailEvent(many.message.id, 'queued', iso(), { recipient: r.email, attempt: 0 }));
    await writer.writeNew([many], manyQueued);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((call) => call.command === 'BatchWriteItemCommand')).toBe(true);
    expect(await store.get(many.message.id)).toEqual(many);
    expect(await new DynamoEventStore(client, eventsTable).list(many.message.id)).toHaveLength(40);
    counting.destroy();
  });

  it('keeps the message item of a single send under 1 KB, so each delivery write costs one write unit', async () => {
    const stored = storedMessage();
    const single = {
      message: { ...stored.message, content: { ...stored.message.content, to: [stored.recipients[0]!.email], cc: [], bcc: [] } },
      recipients: stored.recipients.slice(0, 1),
    };
    single.message.content.text = 'x'.repeat(5000);
    await store.create(single);
    const id = single.message.id;
    await store.claim(id, 1, T0, T0 + LEASE);
    await store.complete(
      id,
      1,
      [
        {
          ...single.recipients[0]!,
          status: 'sent',
          attempts: 1,
          lastAnswer: { code: 250, enhanced: '2.0.0', response: '250 2.0.0 OK queued as 8F3A2B' },
        },
      ],
      'sent',
      iso(2000),
    );
    const item = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk: id, sk: '#' }), ConsistentRead: true }));
    expect(itemSize(item.Item!)).toBeLessThan(1024);
    expect((await store.get(id))?.message.content.text).toHaveLength(5000);
  });

  it('handles a message with the most recipients a send may have, in every write', async () => {
    // 50 long addresses: each write names all of them, and DynamoDB limits an expression to 4 KB.
    const emails = Array.from({ length: MAX_RECIPIENTS }, (_, i) => `a-rather-long-local-part.number-${i}@subdomain.example-company.com`);
    const stored = storedMessage({ recipients: emails });
    const id = stored.message.id;
    await store.create(stored);
    expect(await store.claim(id, 1, T0, T0 + LEASE)).toMatchObject({ kind: 'claimed' });
    const answer = { code: 451, enhanced: '4.7.1', response: `451 4.7.1 ${'try again later, '.repeat(20)}` };
    const deferred = stored.recipients.map((r) => ({
      ...r,
      status: 'deferred' as const,
      attempts: 1,
      lastAnswer: answer,
      updatedAt: iso(1000),
    }));
    await store.complete(id, 1, deferred, 'deferred', iso(1000));
    expect((await store.get(id))?.recipients.map((r) => r.status)).toEqual(emails.map(() => 'deferred'));

    const failed = await store.markFailed(id, iso(2000));
    expect(failed?.recipients.every((r) => r.status === 'failed' && r.lastAnswer?.code === 451)).toBe(true);
    const requeued = await store.requeueFailed(id, iso(3000));
    expect(requeued?.message.status).toBe('queued');
    expect(requeued?.recipients.map((r) => r.email)).toEqual(emails);
    expect(requeued?.recipients.every((r) => r.status === 'queued')).toBe(true);
  });

  it('claims with the bodies a job carries without reading them, and gives the same message as a claim that reads them', async () => {
    const { client: counting, calls } = recordingClient();
    const commands = () => calls.map((call) => call.command);
    const counted = new DynamoMessageStore(counting, table, { retentionDays: 10 });
    const stored = storedMessage();
    const html = '<p>Your receipt</p>';
    const message = { ...stored, message: { ...stored.message, content: { ...stored.message.content, html } } };
    const other = { ...message, message: { ...message.message, id: uniqueId() } };
    await store.create(message);
    await store.create(other);

    const read = await counted.claim(other.message.id, 1, T0, T0 + LEASE);
    expect(commands()).toEqual(['UpdateItemCommand', 'GetItemCommand']);
    calls.length = 0;
    const carried = await counted.claim(message.message.id, 1, T0, T0 + LEASE, packBodies(message.message.content));
    expect(commands()).toEqual(['UpdateItemCommand']);
    // The same as what a read gives.
    expect(read).toMatchObject({ kind: 'claimed', stored: await store.get(other.message.id) });
    expect(carried).toMatchObject({ kind: 'claimed', stored: await store.get(message.message.id) });
    expect(carried.kind === 'claimed' && carried.stored.message.content).toEqual(message.message.content);
    counting.destroy();
  });

  it('keeps the bodies deflated, and gives back every character of them', async () => {
    const stored = storedMessage();
    const text = Array.from({ length: 400 }, (_, i) => `line ${i}: grüße, 東京, emoji 📬, quote " and \\ backslash`).join('\r\n');
    const html = `<p>${text.replaceAll('\r\n', '<br>')}</p>`;
    const message = { ...stored, message: { ...stored.message, content: { ...stored.message.content, text, html } } };
    await store.create(message);
    const body = await client.send(
      new GetItemCommand({ TableName: table, Key: marshall({ pk: stored.message.id, sk: 'b' }), ConsistentRead: true }),
    );
    expect(itemSize(body.Item!)).toBeLessThan((Buffer.byteLength(text) + Buffer.byteLength(html)) / 4);
    const read = await store.get(stored.message.id);
    expect(read?.message.content.text).toBe(text);
    expect(read?.message.content.html).toBe(html);
    const claimed = await store.claim(stored.message.id, 1, T0, T0 + LEASE);
    expect(claimed.kind === 'claimed' && claimed.stored.message.content.html).toBe(html);
  });

  it('keeps the sender’s html beside its tracked copy in the body item, for little more than the tracked copy alone', async () => {
    const links = Array.from({ length: 40 }, (_, i) => `<p>Item ${i}: <a href="https://shop.example/p/${i}">see it</a></p>`).join('\n');
    const sourceHtml = `<html><body>${links}</body></html>`;
    const html = sourceHtml.replace(
      /https:\/\/shop\.example\/p\/(\d+)/g,
      'https://t.mailroom.example/t/c/eyJrIjoiYyIsInUiOiIkMSJ9.c2lnbmF0dXJl$1',
    );
    const base = storedMessage();
    const tracked = { ...base, message: { ...base.message, content: { ...base.message.content, html } } };
    const both = storedMessage();
    const withSource = { ...both, message: { ...both.message, content: { ...both.message.content, html, sourceHtml } } };
    await store.create(tracked);
    await store.create(withSource);

    const read = await store.getContent(both.message.id);
    expect(read).toEqual({ message: withSource.message, bodyKept: true });
    expect((await rawItem(both.message.id, '#'))?.content).not.toHaveProperty('sourceHtml');
    const size = async (id: string) =>
      itemSize(
        (await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk: id, sk: 'b' }), ConsistentRead: true }))).Item!,
      );
    const [alone, together] = [await size(base.message.id), await size(both.message.id)];
    // DEFLATE finds most of the one html in the other: far less than a second copy costs.
    expect(together - alone).toBeLessThan((await size(base.message.id)) / 2);
  });

  it('says when a message’s bodies are gone while its message item is still there', async () => {
    const stored = storedMessage();
    await store.create(stored);
    await client.send(new DeleteItemCommand({ TableName: table, Key: marshall({ pk: stored.message.id, sk: 'b' }) }));
    const read = await store.getContent(stored.message.id);
    expect(read?.bodyKept).toBe(false);
    expect(read?.message.content).not.toHaveProperty('text');
    expect(await store.getContent(uniqueId())).toBeUndefined();
  });

  it('refuses to create a message whose id exists, and answers undefined for an unknown id', async () => {
    const stored = storedMessage();
    await store.create(stored);
    await expect(store.create(storedMessage({ id: stored.message.id }))).rejects.toBeInstanceOf(MessageExistsError);
    expect(await store.get(uniqueId())).toBeUndefined();
  });

  it('claims an attempt once: busy while leased, done once finished, taken over after the lease expires', async () => {
    const stored = storedMessage();
    const id = stored.message.id;
    await store.create(stored);

    const first = await store.claim(id, 1, T0, T0 + LEASE);
    expect(first.kind).toBe('claimed');
    if (first.kind !== 'claimed') return;
    expect(first.stored.message).toMatchObject({ attempts: 1, leaseUntil: T0 + LEASE });
    expect(first.takeover).toBe(false);
    expect(first.stored.recipients).toEqual(stored.recipients);

    expect(await store.claim(id, 1, T0 + 1000, T0 + 1000 + LEASE)).toEqual({ kind: 'busy' });
    expect(await store.claim(id, 3, T0 + 1000, T0 + 1000 + LEASE)).toEqual({ kind: 'busy' });
    // The next attempt waits while the previous one still holds its lease.
    expect(await store.claim(id, 2, T0 + 1000, T0 + 1000 + LEASE)).toEqual({ kind: 'busy' });

    await store.complete(id, 1, [], 'deferred', iso(5000));
    expect(await store.claim(id, 1, T0 + 2000, T0 + 2000 + LEASE)).toEqual({ kind: 'done' });

    expect((await store.claim(id, 2, T0 + 3000, T0 + 3000 + LEASE)).kind).toBe('claimed');
    expect(await store.claim(id, 2, T0 + 4000, T0 + 4000 + LEASE)).toEqual({ kind: 'busy' });
    const takeover = await store.claim(id, 2, T0 + 3000 + LEASE + 1, T0 + 3000 + 2 * LEASE);
    expect(takeover).toMatchObject({
      kind: 'claimed',
      takeover: true,
      stored: { message: { attempts: 2, leaseUntil: T0 + 3000 + 2 * LEASE } },
    });
    expect(await store.claim(id, 1, T0 + 5000, T0 + 5000 + LEASE)).toEqual({ kind: 'done' });
    expect(await store.claim(uniqueId(), 1, T0, T0 + LEASE)).toEqual({ kind: 'missing' });
  });

  it('lets the next attempt start once a dead worker’s lease on the previous one has run out', async () => {
    const stored = storedMessage();
    const id = stored.message.id;
    await store.create(stored);
    expect((await store.claim(id, 1, T0, T0 + LEASE)).kind).toBe('claimed');
    expect(await store.claim(id, 2, T0 + LEASE - 1, T0 + 2 * LEASE)).toEqual({ kind: 'busy' });
    const next = await store.claim(id, 2, T0 + LEASE + 1, T0 + 2 * LEASE);
    // A new attempt, not a takeover of attempt 1: that one's answers stay with it.
    expect(next).toMatchObject({ kind: 'claimed', takeover: false });
    await expect(store.complete(id, 1, [], 'sent', iso(1000))).rejects.toBeInstanceOf(StaleAttemptError);
  });

  it('lets exactly one of several concurrent claims of the same attempt through', async () => {
    const stored = storedMessage();
    await store.create(stored);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.claim(stored.message.id, 1, T0, T0 + LEASE)));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'busy')).toHaveLength(7);
  });

  it('completes an attempt: recipients, status and lease in one write, order and expiry kept', async () => {
    const stored = storedMessage();
    const id = stored.message.id;
    await store.create(stored);
    await store.claim(id, 1, T0, T0 + LEASE);
    const at = iso(3000);
    const adam: RecipientRecord = {
      ...(stored.recipients[1] as RecipientRecord),
      status: 'sent',
      attempts: 1,
      lastAnswer: { code: 250, enhanced: '2.0.0', response: '250 2.0.0 OK' },
      updatedAt: at,
    };
    await store.complete(id, 1, [adam], 'queued', at);

    const after = await store.get(id);
    expect(after?.message).toMatchObject({ status: 'queued', updatedAt: at, attempts: 1 });
    expect(after?.message).not.toHaveProperty('leaseUntil');
    expect(after?.recipients.map((r) => r.email)).toEqual(stored.recipients.map((r) => r.email));
    expect(after?.recipients[1]).toEqual(adam);
    expect(after?.message.content.text).toBe(stored.message.content.text);
    expect((await rawItem(id, '#'))?.expiresAt).toBe(T0 / 1000 + 10 * 86_400);
  });

  it('refuses to complete a stale attempt, a missing message, or an unknown recipient', async () => {
    const stored = storedMessage();
    const id = stored.message.id;
    await store.create(stored);
    await store.claim(id, 1, T0, T0 + LEASE);
    // Attempt 1's worker is presumed dead once its lease ran out; attempt 2 takes over.
    expect((await store.claim(id, 2, T0 + LEASE + 1, T0 + 2 * LEASE)).kind).toBe('claimed');

    const stale = store.complete(id, 1, [{ ...(stored.recipients[0] as RecipientRecord), status: 'sent' }], 'sent', iso(60_000));
    await expect(stale).rejects.toBeInstanceOf(StaleAttemptError);
    expect((await store.get(id))?.recipients[0]?.status).toBe('queued');

    await expect(store.complete(uniqueId(), 1, [], 'sent', iso(60_000))).rejects.toBeInstanceOf(StaleAttemptError);
    const stranger: RecipientRecord = { ...(stored.recipients[0] as RecipientRecord), email: 'nobody@example.net' };
    await expect(store.complete(id, 2, [stranger], 'sent', iso(60_000))).rejects.toBeInstanceOf(UnknownRecipientError);
    expect(await rawItem(id, 'r#nobody@example.net')).toBeUndefined();
  });

  it('marks a message and its pending recipients failed, leaving finished recipients alone', async () => {
    const stored = storedMessage();
    const id = stored.message.id;
    await store.create(stored);
    await store.claim(id, 1, T0, T0 + LEASE);
    const zoe = { ...(stored.recipients[0] as RecipientRecord), status: 'delivered' as const, attempts: 1 };
    const adam = { ...(stored.recipients[1] as RecipientRecord), status: 'deferred' as const, attempts: 1 };
    await store.complete(id, 1, [zoe, adam], 'deferred', iso(3000));
    await store.claim(id, 2, T0 + 5000, T0 + 5000 + LEASE);

    const at = iso(300_000);
    const failed = await store.markFailed(id, at);
    expect(failed?.message).toMatchObject({ status: 'failed', updatedAt: at, attempts: 2 });
    expect(failed?.message).not.toHaveProperty('leaseUntil');
    expect(failed?.recipients.map((r) => [r.email, r.status])).toEqual([
      ['zoe@example.com', 'delivered'],
      ['adam@example.com', 'failed'],
      ['bob@example.org', 'failed'],
    ]);
    expect(await store.get(id)).toEqual(failed);
    // Without a lease, a duplicate job for the attempt that failed is a finished duplicate.
    expect(await store.claim(id, 2, T0 + 6000, T0 + 6000 + LEASE)).toEqual({ kind: 'done' });
    expect(await store.markFailed(uniqueId(), at)).toBeUndefined();
  });

  describe('listByTenant', () => {
    const tenant = uniqueId('tenant');
    const other = uniqueId('tenant');
    const ids: string[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 5; i++) {
        const stored = storedMessage({ tenant, createdAt: iso(i * 1000) });
        ids.push(stored.message.id);
        await store.create(stored);
      }
      await store.create(storedMessage({ tenant: other }));
    });

    it('pages through a tenant’s messages, newest first, with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listByTenant(tenant, { limit: 2, ...(cursor && { cursor }) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((m) => m.id));
        for (const item of page.items) expect(Object.keys(item)).not.toEqual(expect.arrayContaining(['pk']));
        cursor = page.cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(3);
    });

    it('keeps tenants apart, and returns records without bodies or storage attributes', async () => {
      // The index holds keys only: the records come from the message items.
      const described = await client.send(new DescribeTableCommand({ TableName: table }));
      expect(described.Table?.GlobalSecondaryIndexes?.map((index) => index.Projection?.ProjectionType)).toEqual(['KEYS_ONLY', 'KEYS_ONLY']);
      const page = await store.listByTenant(other, { limit: 10 });
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({ tenant: other, status: 'queued' });
      expect(page.items[0]?.content.subject).toBe('Hello');
      // A listing reads message items only: the bodies stay in their own items.
      expect(page.items[0]?.content).not.toHaveProperty('text');
      expect(page.items[0]).not.toHaveProperty('expiresAt');
      expect(page.cursor).toBeUndefined();
    });

    it('rejects malformed cursors, another tenant’s cursor and bad limits with ValidationError', async () => {
      const { cursor } = await store.listByTenant(tenant, { limit: 1 });
      expect(cursor).toBeDefined();
      const bad = [
        'not a cursor!',
        Buffer.from('hello').toString('base64url'),
        Buffer.from('[]').toString('base64url'),
        Buffer.from(JSON.stringify({ pk: 'x', sk: '#', tenant, createdAt: 'y', extra: 'z' })).toString('base64url'),
        Buffer.from(JSON.stringify({ pk: 'x', sk: '#', tenant, createdAt: 5 })).toString('base64url'),
        '',
      ];
      for (const value of bad) {
        const error = await store.listByTenant(tenant, { limit: 2, cursor: value }).catch((e: unknown) => e);
        expect(error, value).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).details).toEqual([expect.objectContaining({ field: 'cursor' })]);
      }
      await expect(store.listByTenant(other, { limit: 2, cursor: cursor as string })).rejects.toBeInstanceOf(ValidationError);
      await expect(store.listByTenant(tenant, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    });
  });
});
