/**
 * What SES reports about sent mail, through the real ses-events handler into DynamoDB Local:
 * messages are first sent through the SES relay (aws-ses-v2-local) so that they exist with
 * their SES message ids, then SES event records about them — AWS's own examples, re-addressed
 * — arrive in SQSEvents with SNS envelopes, as Lambda would receive them.
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../lib/adapters/dynamodb/event-store.ts';
import type { MailEvent } from '../../../lib/domain/events.ts';
import { ENV } from '../../../lib/env.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { DEV_TENANT } from '../../../lib/local/runtime.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import {
  SES_BOUNCE_TYPES,
  aboutMessage,
  bounceRecord,
  sesFixture,
  snsEnvelope,
  sqsEvent,
  type SesFixture,
  type SesRecord,
} from '../../support/ses-events.ts';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator.ts';
import { waitFor } from '../../support/wait.ts';

let ses: SesEmulator;
let runtime: LocalRuntime;
let events: DynamoEventStore;
const log = memoryLog();
/** A fresh invocation context (its deadline runs from now, as in Lambda). */
const context = () => lambdaContext('ses-events', 30);

beforeAll(async () => {
  ses = await startSesEmulator();
  // Three soft bounces within the window suppress (the default is five).
  runtime = await startPipeline({ relay: 'ses', sesEndpoint: ses.endpoint, log, env: { MAILROOM_SOFT_BOUNCE_LIMIT: '3' } });
  events = new DynamoEventStore(runtime.dynamo, runtime.env[ENV.eventsTable]!);
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await ses?.stop();
});

interface Sent {
  id: string;
  sesMessageId: string;
  recipients: string[];
}

let counter = 0;
/** Sends a message through the SES relay and waits until SES accepted it. */
async function send(...recipients: string[]): Promise<Sent> {
  const to = recipients.length ? recipients : [`r${++counter}-${Date.now()}@remote.test`];
  const sent = await call(runtime, 'POST', '/v1/messages', { from: 'news@acme.test', to, subject: 'Hello', text: 'Hi.' });
  expect(sent.status).toBe(202);
  const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
  const sesMessageId = /^SES message id (\S+)$/.exec(message.recipients[0].last_answer.response)?.[1];
  expect(sesMessageId).toBeDefined();
  return { id: sent.body.id, sesMessageId: sesMessageId!, recipients: to };
}

/** An SES event record about a sent message (AWS's example, re-addressed and re-dated). */
function about(
  sent: Sent,
  record: SesFixture | SesRecord,
  options: { recipients?: string[]; feedbackId?: string; at?: Date } = {},
): SesRecord {
  return aboutMessage(typeof record === 'string' ? sesFixture(record) : record, {
    id: sent.id,
    tenant: DEV_TENANT,
    sesMessageId: sent.sesMessageId,
    recipients: options.recipients ?? sent.recipients,
    ...(options.feedbackId && { feedbackId: options.feedbackId }),
    ...(options.at && { at: options.at }),
  });
}

/** Feeds records to the handler as one SQS batch of SNS notifications. */
function feed(...records: SesRecord[]): Promise<SQSBatchResponse> {
  return runtime.handlers.sesEvents(sqsEvent(...records.map(snsEnvelope)), context());
}

async function message(id: string) {
  return (await call(runtime, 'GET', `/v1/messages/${id}`)).body;
}

async function stored(id: string): Promise<MailEvent[]> {
  return events.list(id);
}

async function suppression(email: string) {
  return call(runtime, 'GET', `/v1/suppressions/${encodeURIComponent(email)}`);
}

/**
 * What a test compares: the message's status and time, its recipients, the events SES
 * reported (not those of sending, whose times differ between messages), and suppressions —
 * with the message's id, SES id and addresses replaced, so that two messages compare.
 */
async function finalState(sent: Sent) {
  const m = await message(sent.id);
  const state = {
    status: m.status,
    updated_at: m.updated_at,
    recipients: m.recipients,
    events: (await stored(sent.id)).filter((e) => e.eventId.includes('/ses-')),
    suppressions: await Promise.all(sent.recipients.map(async (email) => (await suppression(email)).body)),
  };
  let text = JSON.stringify(state).replaceAll(sent.id, 'ID').replaceAll(sent.sesMessageId, 'SES');
  sent.recipients.forEach((email, i) => (text = text.replaceAll(email, `RECIPIENT${i}`)));
  return JSON.parse(text);
}

describe('SES events through the handler', () => {
  it('records a delivery: the recipient and the message become delivered, with the receiving server’s answer', async () => {
    const sent = await send();
    expect(await feed(about(sent, 'delivery'))).toEqual({ batchItemFailures: [] });
    const m = await message(sent.id);
    expect(m.status).toBe('delivered');
    expect(m.recipients[0]).toMatchObject({
      status: 'delivered',
      last_answer: { code: 250, enhanced: '2.6.0', response: '250 2.6.0 Message received' },
    });
    const delivered = (await stored(sent.id)).find((e) => e.type === 'delivered');
    expect(delivered).toMatchObject({
      eventId: expect.stringMatching(new RegExp(`^${sent.id}/delivered/${sent.recipients[0]}/ses-\\d{8}T\\d{9}Z$`)),
      tenant: DEV_TENANT,
      recipient: sent.recipients[0],
      detail: { relay: 'ses', sesMessageId: sent.sesMessageId },
    });
  });

  it.each(SES_BOUNCE_TYPES)('records a $bounceType/$bounceSubType bounce (suppresses: $hard)', async (kind) => {
    const sent = await send();
    const [email] = sent.recipients;
    expect(await feed(about(sent, bounceRecord(kind)))).toEqual({ batchItemFailures: [] });
    const m = await message(sent.id);
    expect(m.status).toBe('bounced');
    expect(m.recipients[0].status).toBe('bounced');
    const bounce = (await stored(sent.id)).find((e) => e.type === 'bounced');
    expect(bounce?.detail).toMatchObject({
      relay: 'ses',
      sesMessageId: sent.sesMessageId,
      bounceType: kind.hard ? 'hard' : 'soft',
      reason: `${kind.bounceType}/${kind.bounceSubType}`,
      category: expect.any(String),
      explanation: expect.any(String),
      diagnostic: kind.diagnosticCode ?? expect.any(String),
    });
    const entry = await suppression(email!);
    if (kind.hard) {
      expect(entry.status).toBe(200);
      expect(entry.body).toMatchObject({ reason: 'hard_bounce', source_message_id: sent.id, detail: kind.diagnosticCode });
    } else {
      // One soft bounce leaves the address mailable.
      expect(entry.status).toBe(404);
    }
  });

  it('records a complaint and suppresses the address, keeping the feedback type', async () => {
    const sent = await send();
    expect(await feed(about(sent, 'complaint'))).toEqual({ batchItemFailures: [] });
    expect((await message(sent.id)).status).toBe('complained');
    expect((await stored(sent.id)).find((e) => e.type === 'complained')?.detail).toMatchObject({
      complaintFeedbackType: 'abuse',
      sesMessageId: sent.sesMessageId,
    });
    expect((await suppression(sent.recipients[0]!)).body).toMatchObject({ reason: 'complaint', source_message_id: sent.id });
    // And the next send to it is refused.
    const again = await call(runtime, 'POST', '/v1/messages', {
      from: 'news@acme.test',
      to: sent.recipients[0],
      subject: 'Again',
      text: 'x',
    });
    expect(again.body.error.code).toBe('all_recipients_suppressed');
  });

  it('records a delivery delay as deferred without moving the status back or sending again', async () => {
    const sent = await send();
    expect(await feed(about(sent, 'delivery-delay'))).toEqual({ batchItemFailures: [] });
    const m = await message(sent.id);
    expect(m.status).toBe('sent');
    const deferred = m.events.find((e: { type: string }) => e.type === 'deferred');
    expect(deferred.detail).toMatchObject({ reason: 'TransientCommunicationFailure', answer: { code: 421, enhanced: '4.4.1' } });
    expect((await stored(sent.id)).find((e) => e.type === 'deferred')?.detail.expirationTime).toEqual(expect.any(String));
    // SES retries by itself: mailroom does not relay the message again, even once it has handled
    // everything the delay caused.
    await settled(runtime);
    expect((await ses.stored()).filter((mail) => mail.destination.to.includes(sent.recipients[0]!))).toHaveLength(1);
  });

  it.each(['reject', 'rendering-failure'] as const)('records a %s as failed for every recipient', async (name) => {
    const sent = await send(`${name}-a-${Date.now()}@remote.test`, `${name}-b-${Date.now()}@remote.test`);
    expect(await feed(about(sent, name))).toEqual({ batchItemFailures: [] });
    const m = await message(sent.id);
    expect(m.status).toBe('failed');
    expect(m.recipients.map((r: { status: string }) => r.status)).toEqual(['failed', 'failed']);
    expect((await stored(sent.id)).filter((e) => e.type === 'failed')).toHaveLength(2);
  });

  it('records nothing for SES opens and clicks, which mailroom tracks itself', async () => {
    const sent = await send();
    await feed(about(sent, 'delivery'));
    const before = await stored(sent.id);
    expect(await feed(about(sent, 'open'), about(sent, 'click'))).toEqual({ batchItemFailures: [] });
    expect(await stored(sent.id)).toEqual(before);
    expect((await message(sent.id)).status).toBe('delivered');
  });

  it('records an unsubscribe, and nothing for a Send', async () => {
    const sent = await send();
    const before = (await stored(sent.id)).length;
    expect(await feed(about(sent, 'send'))).toEqual({ batchItemFailures: [] });
    expect(await stored(sent.id)).toHaveLength(before);
    expect(await feed(about(sent, 'subscription'))).toEqual({ batchItemFailures: [] });
    expect((await stored(sent.id)).find((e) => e.type === 'unsubscribed')?.detail.reason).toBe(
      'unsubscribed from all topics (contact list ContactListName)',
    );
    expect((await message(sent.id)).status).toBe('sent');
  });

  it('applies an event to the recipients it names only', async () => {
    const sent = await send(`multi-a-${Date.now()}@remote.test`, `multi-b-${Date.now()}@Remote.TEST`);
    const [a, b] = (await message(sent.id)).recipients.map((r: { email: string }) => r.email);
    await feed(about(sent, 'delivery', { recipients: [a, b] }));
    // SES may give an address in another case (a DSN's Final-Recipient).
    await feed(about(sent, 'complaint', { recipients: [b.toUpperCase()] }));
    const m = await message(sent.id);
    expect(m.recipients.map((r: { status: string }) => r.status)).toEqual(['delivered', 'complained']);
    expect(m.status).toBe('delivered');
    expect((await suppression(a)).status).toBe(404);
    expect((await suppression(b)).body.reason).toBe('complaint');
  });

  it('publishes SES events to subscribers like every other event', async () => {
    const sent = await send();
    await feed(about(sent, 'delivery'));
    const published = await waitFor(
      () =>
        runtime.notifier
          .recent()
          .filter((n) => n.message_id === sent.id)
          .map((n) => n.type),
      (types) => types.includes('delivered'),
      { timeout: 10_000, message: `a delivered notification of ${sent.id}` },
    );
    expect(published).toContain('delivered');
  });
});

describe('duplicated and out-of-order notifications', () => {
  it('changes nothing when the same notifications come again, in one batch or later', async () => {
    const sent = await send();
    const records = [about(sent, 'delivery'), about(sent, 'open'), about(sent, 'complaint')];
    await feed(...records);
    const once = await finalState(sent);
    expect(await feed(...records, ...records)).toEqual({ batchItemFailures: [] });
    expect(await finalState(sent)).toEqual(once);
    expect(once.events.map((e: MailEvent) => e.type).sort()).toEqual(['complained', 'delivered']);
  });

  it('ends a complaint and a delivery the same in either order: complained', async () => {
    const inOrder = await send();
    const reversed = await send();
    const t = Date.now();
    const delivery = (s: Sent) => about(s, 'delivery', { at: new Date(t + 1000) });
    const complaint = (s: Sent) => about(s, 'complaint', { at: new Date(t + 5000) });
    await feed(delivery(inOrder));
    await feed(complaint(inOrder));
    await feed(complaint(reversed));
    await feed(delivery(reversed));
    const [a, b] = [await finalState(inOrder), await finalState(reversed)];
    expect(b).toEqual(a);
    expect(b.status).toBe('complained');
    expect(b.events.map((e: MailEvent) => e.type).sort()).toEqual(['complained', 'delivered']);
    expect(b.suppressions[0]).toMatchObject({ reason: 'complaint', source_message_id: 'ID' });
    // The delivery's answer stays the recipient's last answer, whichever came first.
    expect(b.recipients[0].last_answer.response).toBe('250 2.6.0 Message received');
  });

  it('ends a bounce and a delivery the same in either order: bounced (a late delivery does not undo it)', async () => {
    const inOrder = await send();
    const reversed = await send();
    const t = Date.now();
    const delivery = (s: Sent) => about(s, 'delivery', { at: new Date(t + 1000) });
    // An asynchronous bounce: the receiving server took the message, then bounced it.
    const bounce = (s: Sent) => about(s, bounceRecord(SES_BOUNCE_TYPES[1]!), { at: new Date(t + 3000) });
    await feed(delivery(inOrder));
    await feed(bounce(inOrder));
    await feed(bounce(reversed));
    const afterBounce = await finalState(reversed);
    await feed(delivery(reversed));
    const [a, b] = [await finalState(inOrder), await finalState(reversed)];
    expect(b).toEqual(a);
    expect(b.status).toBe('bounced');
    expect(b.recipients).toEqual(afterBounce.recipients);
    expect(b.suppressions).toEqual(afterBounce.suppressions);
    // The delivery is on record as an event, but the status stays.
    expect(b.events.map((e: MailEvent) => e.type).sort()).toEqual(['bounced', 'delivered']);
  });
});

describe('repeated soft bounces', () => {
  const mailboxFull = SES_BOUNCE_TYPES.find((k) => k.bounceSubType === 'MailboxFull')!;

  it('suppresses an address that soft-bounced three times in the window, not before', async () => {
    const address = `full-${Date.now()}@remote.test`;
    const messages = [await send(address), await send(address), await send(address)];
    await feed(about(messages[0]!, bounceRecord(mailboxFull), { feedbackId: 'soft-1' }));
    await feed(about(messages[1]!, bounceRecord(mailboxFull), { feedbackId: 'soft-2' }));
    expect((await suppression(address)).status).toBe(404);
    await feed(about(messages[2]!, bounceRecord(mailboxFull), { feedbackId: 'soft-3' }));
    const entry = await suppression(address);
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({
      reason: 'hard_bounce',
      detail: expect.stringMatching(/^soft-bounced 3 times within 72 hours; last: smtp; 552 5\.2\.2 Mailbox full/),
    });
  });

  it('counts a soft bounce notified three times once', async () => {
    const sent = await send();
    const bounce = about(sent, bounceRecord(mailboxFull), { feedbackId: 'soft-once' });
    await feed(bounce, bounce);
    await feed(bounce);
    expect((await suppression(sent.recipients[0]!)).status).toBe(404);
  });
});

describe('records that cannot be recorded', () => {
  it('drops a record without mailroom’s tags, or about an unknown message, without retrying it', async () => {
    // AWS's example verbatim: sent by something else through the configuration set.
    expect(await feed(sesFixture('delivery'))).toEqual({ batchItemFailures: [] });
    const unknown = about({ id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ', sesMessageId: 'x', recipients: ['a@remote.test'] }, 'bounce');
    expect(await feed(unknown)).toEqual({ batchItemFailures: [] });
    expect(log.lines.map((l) => l.message)).toEqual(
      expect.arrayContaining(['SES event without a mailroom message id dropped', 'SES event for an unknown message dropped']),
    );
    expect((await suppression('a@remote.test')).status).toBe(404);
  });

  it('drops an unreadable record, and reads raw message delivery as well as SNS envelopes', async () => {
    const sent = await send();
    const garbage = sqsEvent('not json', snsEnvelope('{"eventType":"Bounce"}'), JSON.stringify(about(sent, 'delivery')));
    expect(await runtime.handlers.sesEvents(garbage, context())).toEqual({ batchItemFailures: [] });
    expect(log.lines.filter((l) => l.message === 'unreadable SES event dropped')).toHaveLength(2);
    expect((await message(sent.id)).status).toBe('delivered');
  });
});

describe('POST /local/ses-events', () => {
  it('feeds a posted SES record (raw or in its SNS envelope) to the handler', async () => {
    const sent = await send();
    const post = (body: string) =>
      fetch(`${runtime.apiUrl}/local/ses-events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const accepted = await post(JSON.stringify(about(sent, 'delivery')));
    expect(accepted.status).toBe(202);
    expect((await message(sent.id)).status).toBe('delivered');
    expect((await post(snsEnvelope(about(sent, 'complaint')))).status).toBe(202);
    expect((await message(sent.id)).status).toBe('complained');

    const bad = await post('{"eventType":"Teleport","mail":{}}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/unknown SES event type/);
    expect((await fetch(`${runtime.apiUrl}/local/ses-events`)).status).toBe(405);
  });
});

describe('an event that comes before its send is recorded', () => {
  it('is handed back to the queue until the delivery attempt is recorded, then applied', async () => {
    const local = await startPipeline({ relay: 'ses', sesEndpoint: ses.endpoint, pollers: false });
    try {
      const sent = await call(local, 'POST', '/v1/messages', {
        from: 'news@acme.test',
        to: 'early@remote.test',
        subject: 'Early',
        text: 'x',
      });
      const record = aboutMessage(sesFixture('delivery'), {
        id: sent.body.id,
        tenant: DEV_TENANT,
        sesMessageId: 'ses-early',
        recipients: ['early@remote.test'],
      });
      const event = sqsEvent(snsEnvelope(record));
      // The relay has not answered yet: the record must come back later, and nothing changes.
      expect((await local.handlers.sesEvents(event, context())).batchItemFailures).toEqual([
        { itemIdentifier: event.Records[0]!.messageId },
      ]);
      expect((await call(local, 'GET', `/v1/messages/${sent.body.id}`)).body.status).toBe('queued');
      expect((await local.handlers.sesEvents(event, context())).batchItemFailures).toHaveLength(1);

      // The delivery attempt runs and is recorded; the record's next delivery applies.
      const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
      const { toSqsRecord } = await import('../../../lib/local/sqs-poller.ts');
      const received = await local.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: local.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, AttributeNames: ['All'] }),
      );
      await local.handlers.deliver(
        { Records: (received.Messages ?? []).map((m) => toSqsRecord(m, 'arn:aws:sqs:us-east-1:000000000000:send')) },
        context(),
      );
      expect((await call(local, 'GET', `/v1/messages/${sent.body.id}`)).body.status).toBe('sent');
      expect(await local.handlers.sesEvents(event, context())).toEqual({ batchItemFailures: [] });
      expect((await call(local, 'GET', `/v1/messages/${sent.body.id}`)).body.status).toBe('delivered');
    } finally {
      await local.stop();
    }
  });
});
