import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../lib/adapters/dynamodb/event-store.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { recordingClient } from '../../support/recorded-calls.ts';
import { T0, iso, mailEvent, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoEventStore;

beforeAll(async () => {
  table = (await freshTables(client)).events;
  store = new DynamoEventStore(client, table, { retentionDays: 3 });
});
afterAll(() => client.destroy());

describe('DynamoEventStore', () => {
  it('lists a message’s events oldest first, exactly as appended', async () => {
    const id = uniqueId();
    const queued = mailEvent(id, 'queued', iso(0), { attempt: 0 });
    const sent = mailEvent(id, 'sent', iso(2000));
    const delivered = mailEvent(id, 'delivered', iso(5000));
    await store.append([delivered, queued]);
    await store.append([sent, mailEvent(uniqueId(), 'queued', iso(1000), { attempt: 0 })]);

    expect(await store.list(id)).toEqual([queued, sent, delivered]);
    expect(await store.list(uniqueId())).toEqual([]);

    const raw = await client.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': id }) }),
    );
    const stored = raw.Items?.map((item) => unmarshall(item)).find((item) => item.eventId === queued.eventId);
    // Keyed by the deterministic event id, so that a retried producer cannot record it twice.
    expect(stored).toMatchObject({ sk: queued.eventId, expiresAt: T0 / 1000 + 3 * 86_400 });
  });

  it('records an event once, however often and however concurrently it is appended', async () => {
    const id = uniqueId();
    const sent = mailEvent(id, 'sent', iso(1000));
    const bounced = mailEvent(id, 'bounced', iso(1000), { recipient: 'adam@example.com' });
    await store.append([sent, sent]);
    await store.append([sent]);
    await Promise.all(Array.from({ length: 5 }, () => store.append([sent, bounced])));
    // A retried producer re-creating the event at a later time changes nothing either.
    await store.append([{ ...sent, at: iso(9000) }]);

    const events = await store.list(id);
    expect(events.map((e) => e.eventId).sort()).toEqual([bounced.eventId, sent.eventId].sort());
    expect(events.find((e) => e.eventId === sent.eventId)?.at).toBe(sent.at);
  });

  it('appends many events across messages, and nothing at all', async () => {
    const ids = [uniqueId(), uniqueId()];
    const events = ids.flatMap((id) =>
      Array.from({ length: 15 }, (_, i) => mailEvent(id, 'opened', iso(i * 1000), { recipient: `r${i}@example.com` })),
    );
    await store.append(events);
    await store.append([]);
    for (const id of ids) expect(await store.list(id)).toEqual(events.filter((e) => e.messageId === id));
  });

  it('writes fresh events without asking: appends made moments apart share one request, and writing the same again adds nothing', async () => {
    const { client: counting, calls } = recordingClient();
    const coalesced = new DynamoEventStore(counting, table, { retentionDays: 3, coalesce: { windowMs: 20 } });
    const sent = [uniqueId(), uniqueId(), uniqueId()].map((id) => mailEvent(id, 'sent', iso(1000)));
    await Promise.all(sent.map((event, i) => sleep(i * 3).then(() => coalesced.append([event], { fresh: true }))));
    expect(calls).toEqual([{ command: 'BatchWriteItemCommand', tables: [table] }]);
    for (const event of sent) expect(await store.list(event.messageId)).toEqual([event]);

    // A retried write of the same events (twice in one call, even) records nothing new.
    await coalesced.append([sent[0]!, sent[0]!], { fresh: true });
    expect(await store.list(sent[0]!.messageId)).toEqual([sent[0]]);
    // An append that is not fresh still leaves a recorded event as it is.
    await coalesced.append([{ ...sent[1]!, at: iso(9000) }]);
    expect(await store.list(sent[1]!.messageId)).toEqual([sent[1]]);

    // Without a window, a fresh append is one request per 25 events.
    calls.length = 0;
    const id = uniqueId();
    const many = Array.from({ length: 30 }, (_, i) => mailEvent(id, 'sent', iso(1000), { recipient: `r${i}@example.com` }));
    await new DynamoEventStore(counting, table, { retentionDays: 3 }).append(many, { fresh: true });
    expect(calls.map((call) => call.command)).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand']);
    expect(await store.list(id)).toHaveLength(30);
    counting.destroy();
  });

  it('writes a fresh append at once, without waiting out the window, when the caller runs alone', async () => {
    const { client: counting, calls } = recordingClient();
    // A window far longer than the test may take: only going at once can finish it.
    const coalesced = new DynamoEventStore(counting, table, { retentionDays: 3, coalesce: { windowMs: 600_000, alone: () => true } });
    const event = mailEvent(uniqueId(), 'sent', iso(1000));
    await coalesced.append([event], { fresh: true });
    expect(calls.map((call) => call.command)).toEqual(['BatchWriteItemCommand']);
    expect(await store.list(event.messageId)).toEqual([event]);
    counting.destroy();
  }, 10_000);
});
