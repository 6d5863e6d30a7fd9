import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import type { MessageStatus, RecipientRecord, StoredMessage } from '../../../lib/domain/message.ts';
import type { RecipientOutcome } from '../../../lib/ports/message-store.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, iso, storedMessage, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoMessageStore;

beforeAll(async () => {
  table = (await freshTables(client)).messages;
  store = new DynamoMessageStore(client, table);
});
afterAll(() => client.destroy());

const ZOE = 'zoe@example.com';
const ADAM = 'adam@example.com';
const BOB = 'bob@example.org';
const SENT_AT = iso(1000);

/** A message whose recipients the relay accepted (attempt 1 finished: all `sent`), or left as `statuses` say. */
async function sentMessage(statuses: Partial<Record<string, MessageStatus>> = {}): Promise<StoredMessage> {
  const stored = storedMessage();
  const id = stored.message.id;
  await store.create(stored);
  await store.claim(id, 1, T0, T0 + 60_000);
  const recipients: RecipientRecord[] = stored.recipients.map((r) => ({
    ...r,
    status: statuses[r.email] ?? 'sent',
    attempts: 1,
    lastAnswer: { code: 250, response: 'SES message id ses-1' },
    updatedAt: SENT_AT,
  }));
  await store.complete(id, 1, recipients, statuses[ZOE] === 'deferred' ? 'deferred' : 'sent', SENT_AT);
  return (await store.get(id))!;
}

const delivered = (email: string, at = iso(5000)): RecipientOutcome => ({
  email,
  status: 'delivered',
  at,
  answer: { code: 250, enhanced: '2.6.0', response: '250 2.6.0 Message received' },
  sesMessageId: 'ses-1',
});
const bounced = (email: string, at = iso(6000)): RecipientOutcome => ({
  email,
  status: 'bounced',
  at,
  answer: { code: 550, enhanced: '5.1.1', response: 'smtp; 550 5.1.1 user unknown' },
  sesMessageId: 'ses-1',
});
const complained = (email: string, at = iso(9000)): RecipientOutcome => ({ email, status: 'complained', at, sesMessageId: 'ses-1' });

/** A stored message without what differs between two messages built alike (ids). */
function comparable(stored: StoredMessage | undefined) {
  const { message, recipients } = stored!;
  return {
    status: message.status,
    updatedAt: message.updatedAt,
    recipients: recipients.map(({ messageId: _, ...rest }) => rest),
  };
}

describe('DynamoMessageStore.recordOutcome', () => {
  it('moves a sent recipient forward, keeps the SES id and answer, and recomputes the message', async () => {
    const { message } = await sentMessage();
    const result = await store.recordOutcome(message.id, delivered(ZOE));
    expect(result).toEqual({ kind: 'applied', previous: 'sent', messageStatus: 'delivered' });

    const after = (await store.get(message.id))!;
    expect(after.message).toMatchObject({ status: 'delivered', updatedAt: iso(5000), attempts: 1 });
    // Nothing of the storage's own bookkeeping leaks into the record.
    expect(after.message).not.toHaveProperty('outcomeVersion');
    expect(after.recipients[0]).toMatchObject({
      email: ZOE,
      status: 'delivered',
      updatedAt: iso(5000),
      sesMessageId: 'ses-1',
      lastAnswer: { code: 250, enhanced: '2.6.0', response: '250 2.6.0 Message received' },
      attempts: 1,
      kind: 'to',
    });
    expect(after.recipients.slice(1).map((r) => r.status)).toEqual(['sent', 'sent']);
    // The item keeps its storage attributes (TTL, order) after the update.
    const raw = await client.send(
      new GetItemCommand({ TableName: table, Key: marshall({ pk: message.id, sk: '#' }), ConsistentRead: true }),
    );
    expect(unmarshall(raw.Item!)).toMatchObject({ rcptOrder: after.recipients.map((r) => r.email), expiresAt: expect.any(Number) });
  });

  it('keeps what outranks the outcome: a duplicate, a delivery after a bounce, anything after a complaint', async () => {
    const { message } = await sentMessage();
    expect((await store.recordOutcome(message.id, bounced(ZOE))).kind).toBe('applied');
    const afterBounce = await store.get(message.id);
    expect(await store.recordOutcome(message.id, bounced(ZOE))).toEqual({ kind: 'kept', current: 'bounced' });
    expect(await store.recordOutcome(message.id, delivered(ZOE))).toEqual({ kind: 'kept', current: 'bounced' });
    expect(await store.get(message.id)).toEqual(afterBounce);

    expect((await store.recordOutcome(message.id, complained(ZOE))).kind).toBe('applied');
    for (const outcome of [delivered(ZOE), bounced(ZOE), { ...delivered(ZOE), status: 'failed' as const }]) {
      expect(await store.recordOutcome(message.id, outcome)).toEqual({ kind: 'kept', current: 'complained' });
    }
    // An outcome without an answer leaves the last answer as it was.
    expect((await store.get(message.id))!.recipients[0]).toMatchObject({ status: 'complained', lastAnswer: { code: 550 } });
  });

  it('ends in the same state whatever order the outcomes come in', async () => {
    const orders: RecipientOutcome[][] = [
      [delivered(ZOE), complained(ZOE), bounced(ADAM), delivered(ADAM), delivered(BOB)],
      [delivered(BOB), delivered(ADAM), complained(ZOE), bounced(ADAM), delivered(ZOE), complained(ZOE)],
      [bounced(ADAM), complained(ZOE), delivered(BOB), delivered(ZOE), delivered(ADAM), delivered(BOB)],
    ];
    const finals = [];
    for (const order of orders) {
      const { message } = await sentMessage();
      for (const outcome of order) await store.recordOutcome(message.id, outcome);
      finals.push(comparable(await store.get(message.id)));
    }
    expect(finals[1]).toEqual(finals[0]);
    expect(finals[2]).toEqual(finals[0]);
    expect(finals[0]).toMatchObject({ status: 'delivered', updatedAt: iso(9000) });
    expect(finals[0]!.recipients.map((r) => r.status)).toEqual(['complained', 'bounced', 'delivered']);
  });

  it('loses no recipient’s outcome when several arrive at once', async () => {
    for (let round = 0; round < 3; round++) {
      const { message } = await sentMessage();
      const results = await Promise.all([bounced(ZOE), bounced(ADAM), bounced(BOB)].map((o) => store.recordOutcome(message.id, o)));
      expect(results.every((r) => r.kind === 'applied')).toBe(true);
      const after = (await store.get(message.id))!;
      expect(after.recipients.map((r) => r.status)).toEqual(['bounced', 'bounced', 'bounced']);
      expect(after.message.status).toBe('bounced');
    }
  });

  it('waits while the recipient’s delivery attempt is still being recorded', async () => {
    const stored = storedMessage();
    await store.create(stored);
    expect(await store.recordOutcome(stored.message.id, delivered(ZOE))).toEqual({ kind: 'pending' });
    const deferred = await sentMessage({ [ZOE]: 'deferred' });
    expect(await store.recordOutcome(deferred.message.id, delivered(ZOE))).toEqual({ kind: 'pending' });
    expect((await store.get(stored.message.id))!.recipients[0]?.status).toBe('queued');
  });

  it('answers missing for an unknown message or recipient, writing nothing', async () => {
    const { message } = await sentMessage();
    expect(await store.recordOutcome(uniqueId(), delivered(ZOE))).toEqual({ kind: 'missing' });
    expect(await store.recordOutcome(message.id, delivered('stranger@example.net'))).toEqual({ kind: 'missing' });
    const raw = await client.send(
      new GetItemCommand({ TableName: table, Key: marshall({ pk: message.id, sk: '#' }), ConsistentRead: true }),
    );
    expect(Object.keys(unmarshall(raw.Item!).rcpt as object)).not.toContain('stranger@example.net');
  });

  it('leaves a suppressed (rejected) recipient alone', async () => {
    const { message } = await sentMessage({ [BOB]: 'rejected' });
    expect(await store.recordOutcome(message.id, delivered(BOB))).toEqual({ kind: 'kept', current: 'rejected' });
  });
});
