/**
 * The events message items carry, as the messages table's stream brings them to the stream
 * function: the real store writes on DynamoDB Local, its real stream read back through the
 * stream source's filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { streamRecordEvents } from '../../../lib/adapters/dynamodb/stream-records.ts';
import type { MessageRecord, RecipientRecord, StoredMessage } from '../../../lib/domain/message.ts';
import { STREAM_SOURCES } from '../../../lib/topology.ts';
import { dynamoClient, freshTables, partitionRecords } from '../../support/local-aws.ts';

const client = dynamoClient();
let tables: Awaited<ReturnType<typeof freshTables>>;
let store: DynamoMessageStore;
const source = STREAM_SOURCES.find((s) => s.table === 'messages')!;

beforeAll(async () => {
  tables = await freshTables(client);
  store = new DynamoMessageStore(client, tables.messages);
});
afterAll(() => client.destroy());

function accepted(id: string): StoredMessage {
  const at = '2026-12-07T10:00:00.000Z';
  const message: MessageRecord = {
    id,
    tenant: 'acme',
    createdAt: at,
    updatedAt: at,
    messageIdHeader: `<${id.toLowerCase()}@acme.example>`,
    envelopeFrom: 'news@acme.example',
    content: {
      from: 'news@acme.example',
      to: ['a@example.org', 'b@example.org'],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: 'Hi',
      headers: {},
      text: 'Hello',
    },
    tags: {},
    metadata: {},
    status: 'queued',
    attempts: 0,
  };
  const recipient = (email: string): RecipientRecord => ({
    messageId: id,
    email,
    kind: 'to',
    status: 'queued',
    attempts: 0,
    updatedAt: at,
    carries: { queued: true },
  });
  return { message, recipients: [recipient('a@example.org'), recipient('b@example.org')] };
}

describe('the messages table stream', () => {
  it('brings the queued events of a new message and the sent events of the write that ends its attempt, once each', async () => {
    const id = '01M97000000000000000000001';
    const stored = accepted(id);
    await store.create(stored);
    const now = Date.parse('2026-12-07T10:00:01.000Z');
    expect((await store.claim(id, 1, now, now + 60_000)).kind).toBe('claimed');
    const at = new Date(now).toISOString();
    const answer = { code: 250, response: '250 ok' };
    const [a, b] = stored.recipients;
    await store.complete(
      id,
      1,
      [
        {
          ...a!,
          status: 'sent',
          attempts: 1,
          lastAnswer: answer,
          updatedAt: at,
          carries: { queued: true, sent: { at, attempt: 1, relay: 'smtp', answer } },
        },
        { ...b!, status: 'deferred', attempts: 1, lastAnswer: { code: 451, response: '451 later' }, updatedAt: at },
      ],
      'deferred',
      at,
    );
    // An outcome recorded later (a delivery report) writes the item again and adds nothing; its
    // answer replaces the recipient's last one, not the answer of the sent event it carries.
    const delivered = { response: '250 2.0.0 delivered to the mailbox' };
    await store.recordOutcome(id, { email: 'a@example.org', status: 'delivered', at: '2026-12-07T10:00:05.000Z', answer: delivered });
    const after = await store.get(id);
    expect(after?.recipients[0]).toMatchObject({
      status: 'delivered',
      lastAnswer: delivered,
      carries: { queued: true, sent: { at, attempt: 1, relay: 'smtp', answer } },
    });

    const records = await partitionRecords(tables.messagesStreamArn, source, id);
    // The body item and the claim (which sets the lease) never reach the function.
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY']);
    expect(records.map((r) => streamRecordEvents(r).map((e) => `${e.type} ${e.recipient} ${e.attempt}`))).toEqual([
      ['queued a@example.org 0', 'queued b@example.org 0'],
      ['sent a@example.org 1'],
      [],
    ]);
    const [sent] = streamRecordEvents(records[1]!);
    expect(sent).toEqual({
      eventId: `${id}/sent/a@example.org/1`,
      messageId: id,
      tenant: 'acme',
      recipient: 'a@example.org',
      type: 'sent',
      at,
      attempt: 1,
      tags: {},
      fromDomain: 'acme.example',
      detail: { relay: 'smtp', answer },
    });
  });

  it('brings nothing for a message written before message items carried events, nor for removals', async () => {
    const id = '01M97000000000000000000002';
    const stored = accepted(id);
    await store.create({ ...stored, recipients: stored.recipients.map(({ carries: _carries, ...r }) => r) });
    const records = await partitionRecords(tables.messagesStreamArn, source, id);
    expect(records.flatMap(streamRecordEvents)).toEqual([]);
    const [insert] = records;
    expect(
      streamRecordEvents({ ...insert!, eventName: 'REMOVE', dynamodb: { ...insert!.dynamodb, OldImage: insert!.dynamodb!.NewImage } }),
    ).toEqual([]);
  });
});
