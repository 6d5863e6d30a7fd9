/**
 * Exactly-once counting when the stream consumer fails partway: a counting write fails in the
 * middle of a batch (the batch is retried from the failed record, as the event source does
 * with a partial batch response), and an invocation dies halfway (the whole batch comes again);
 * also for records of the messages table's stream, each bringing several events it carries.
 */
import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReportStore } from '../../../lib/adapters/dynamodb/report-store.ts';
import { LogNotifier } from '../../../lib/adapters/sns/log-notifier.ts';
import { makeEvent, type MailEvent } from '../../../lib/domain/events.ts';
import type { MessageRecord } from '../../../lib/domain/message.ts';
import { messageItem } from '../../../lib/adapters/dynamodb/message-items.ts';
import { streamRecordEvents } from '../../../lib/adapters/dynamodb/stream-records.ts';
import { createStreamHandler } from '../../../lib/handlers/stream-handler.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { ReportStore } from '../../../lib/ports/report-store.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { memoryLog } from '../../support/fakes/index.ts';

const client = dynamoClient();
let table: string;
let reports: DynamoReportStore;
beforeAll(async () => {
  table = (await freshTables(client)).reports;
  reports = new DynamoReportStore(client, table);
});
afterAll(() => client.destroy());

const day = '2026-11-28';
function events(tenant: string, count: number): MailEvent[] {
  return Array.from({ length: count }, (_, i) =>
    // A tag of its own per event, so that the batch needs more than one transaction.
    makeEvent({
      messageId: `${tenant}-m${i}`,
      tenant,
      recipient: `r${i}@example.org`,
      type: i % 3 === 0 ? 'opened' : 'sent',
      at: `${day}T10:00:00.000Z`,
      attempt: 1,
      tags: { kind: 'news', n: String(i) },
      detail: {},
    }),
  );
}
function records(list: MailEvent[]): DynamoDBRecord[] {
  return list.map((event, i) => ({
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: String(1000 + i), NewImage: marshall({ pk: event.messageId, sk: event.eventId, ...event }) as never },
  }));
}

/**
 * Records of the messages table's stream: each the end of an attempt that sent a message to
 * its three recipients, so each brings three `sent` events (a tag of its own per message).
 */
function attemptRecords(tenant: string, count: number): DynamoDBRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${tenant}-m${i}`;
    const at = `${day}T10:00:00.000Z`;
    const recipients = ['a', 'b', 'c'].map((name) => ({
      messageId: id,
      email: `${name}${i}@example.org`,
      kind: 'to' as const,
      status: 'queued' as const,
      attempts: 0,
      updatedAt: at,
      carries: { queued: true as const },
    }));
    const message: MessageRecord = {
      id,
      tenant,
      createdAt: at,
      updatedAt: at,
      messageIdHeader: `<${id}@example.org>`,
      envelopeFrom: 'news@example.org',
      content: { from: 'news@example.org', to: recipients.map((r) => r.email), cc: [], bcc: [], replyTo: [], subject: 'Hi', headers: {} },
      tags: { kind: 'news', n: String(i) },
      metadata: {},
      status: 'queued',
      attempts: 1,
    };
    const answer = { code: 250, response: '250 ok' };
    const sent = recipients.map((r) => ({
      ...r,
      status: 'sent' as const,
      attempts: 1,
      carries: { ...r.carries, sent: { at, attempt: 1, relay: 'smtp', answer } },
    }));
    return {
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: String(5000 + i),
        Keys: { pk: { S: id }, sk: { S: '#' } },
        OldImage: messageItem({ message, recipients }, 0) as never,
        NewImage: messageItem({ message: { ...message, status: 'sent' }, recipients: sent }, 0) as never,
      },
    };
  });
}

/** The real store on a client whose n-th batch transaction fails (a throttle, a crash of the write); unique counts are single transactions and go through. */
function failingOnce(n: number): ReportStore {
  let calls = 0;
  const failing = {
    send(command: Parameters<DynamoDBClient['send']>[0]) {
      const chunk =
        command instanceof TransactWriteItemsCommand && command.input.TransactItems?.[0]?.Put?.Item?.pk?.S?.startsWith('chunk#');
      if (chunk && ++calls === n) return Promise.reject(new Error('injected failure'));
      return client.send(command as never);
    },
  } as unknown as DynamoDBClient;
  return new DynamoReportStore(failing, table);
}

const context = lambdaContext('stream', 30);
const handlerWith = (store: ReportStore) =>
  createStreamHandler({ reports: store, notifier: new LogNotifier(memoryLog()), log: memoryLog(), eventsOf: streamRecordEvents });

async function totals(tenant: string) {
  const [all] = await reports.daily(tenant, 'all', day, day);
  return all?.counters;
}

describe('counting under failure', () => {
  it('counts once when a write fails mid-batch and the batch is retried from the failed record', async () => {
    const tenant = 'partial';
    const batch = records(events(tenant, 120));
    const first = await handlerWith(failingOnce(2))({ Records: batch }, context);
    expect(first.batchItemFailures).toHaveLength(1);
    const from = batch.findIndex((r) => r.dynamodb?.SequenceNumber === first.batchItemFailures[0]?.itemIdentifier);
    expect(from).toBeGreaterThan(0);
    // The event source hands over the batch again from the failed record on.
    expect((await handlerWith(reports)({ Records: batch.slice(from) }, context)).batchItemFailures).toEqual([]);
    expect(await totals(tenant)).toMatchObject({ sent: 80, opened: 40, opened_unique: 40 });
  });

  it('counts the events a message record brings together: a record handed over again is not counted twice', async () => {
    const tenant = 'carried';
    const batch = attemptRecords(tenant, 150);
    const first = await handlerWith(failingOnce(2))({ Records: batch }, context);
    expect(first.batchItemFailures).toHaveLength(1);
    const from = batch.findIndex((r) => r.dynamodb?.SequenceNumber === first.batchItemFailures[0]?.itemIdentifier);
    expect(from).toBeGreaterThan(0);
    expect((await handlerWith(reports)({ Records: batch.slice(from) }, context)).batchItemFailures).toEqual([]);
    // And the whole batch once more, as after an invocation that died.
    expect((await handlerWith(reports)({ Records: batch }, context)).batchItemFailures).toEqual([]);
    expect(await totals(tenant)).toMatchObject({ sent: 450, requested: 0 });
    const [one] = await reports.daily(tenant, 'tag:n=149', day, day);
    expect(one?.counters).toMatchObject({ sent: 3 });
  });

  it('counts once when an invocation dies halfway and the whole batch comes again', async () => {
    const tenant = 'died';
    const batch = records(events(tenant, 120));
    // The invocation stops after a few writes: whatever it answered is lost with it.
    await handlerWith(failingOnce(2))({ Records: batch }, context);
    await handlerWith(reports)({ Records: batch }, context);
    await handlerWith(reports)({ Records: batch }, context);
    expect(await totals(tenant)).toMatchObject({ sent: 80, opened: 40, opened_unique: 40 });
    const [byTag] = await reports.daily(tenant, 'tag:kind=news', day, day);
    expect(byTag?.counters).toMatchObject({ sent: 80, opened: 40 });
    const [one] = await reports.daily(tenant, 'tag:n=119', day, day);
    expect(one?.counters).toMatchObject({ sent: 1 });
  });
});
