import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION, makeEvent, type MailEvent } from '../../../lib/domain/events.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { toNotification } from '../../../lib/adapters/sns/notification.ts';
import { PublishError, SnsNotifier } from '../../../lib/adapters/sns/sns-notifier.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint, type RecordedRequest } from './fake-aws-endpoint.ts';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:mailroom-events';

function mailEvent(n: number, overrides: Partial<Omit<MailEvent, 'eventId'>> = {}): MailEvent {
  return makeEvent({
    messageId: `01MSG${String(n).padStart(4, '0')}`,
    tenant: 'tenant-a',
    recipient: `user${n}@remote.test`,
    type: 'deferred',
    at: '2026-03-04T05:06:07.000Z',
    attempt: 2,
    tags: { campaign: 'spring' },
    detail: {
      relay: 'smtp',
      answer: { code: 451, enhanced: '4.7.1', response: '451 4.7.1 try later' },
      retryAt: '2026-03-04T05:10:00.000Z',
    },
    ...overrides,
  });
}

describe('toNotification', () => {
  it('builds the versioned snake_case document and the filter attributes', () => {
    const event = mailEvent(1, {
      type: 'bounced',
      detail: {
        relay: 'ses',
        answer: { code: 550, enhanced: '5.1.1', response: '550 5.1.1 no such user' },
        bounceType: 'hard',
        reason: 'mailbox',
      },
    });

    const notification = toNotification(event);

    expect(notification.document).toEqual({
      version: EVENT_SCHEMA_VERSION,
      id: '01MSG0001/bounced/user1@remote.test/2',
      type: 'bounced',
      message_id: '01MSG0001',
      tenant: 'tenant-a',
      recipient: 'user1@remote.test',
      at: '2026-03-04T05:06:07.000Z',
      attempt: 2,
      tags: { campaign: 'spring' },
      detail: {
        relay: 'ses',
        answer: { code: 550, enhanced: '5.1.1', response: '550 5.1.1 no such user' },
        bounce_type: 'hard',
        reason: 'mailbox',
      },
    });
    expect(JSON.parse(notification.message)).toEqual(notification.document);
    expect(notification.attributes).toEqual({
      tenant: { DataType: 'String', StringValue: 'tenant-a' },
      type: { DataType: 'String', StringValue: 'bounced' },
      // Tags as name=value in one String.Array, so a filter policy can match any of them.
      tags: { DataType: 'String.Array', StringValue: '["campaign=spring"]' },
    });
    const inCampaign = toNotification({ ...mailEvent(1), tags: {}, list: 'news', campaign: 'c7' });
    expect(inCampaign.attributes).toEqual({
      tenant: { DataType: 'String', StringValue: 'tenant-a' },
      type: { DataType: 'String', StringValue: inCampaign.document.type },
      list: { DataType: 'String', StringValue: 'news' },
      campaign: { DataType: 'String', StringValue: 'c7' },
    });
    expect(inCampaign.document).toMatchObject({ list: 'news', campaign: 'c7' });
  });

  it('writes retry_at in snake case and leaves out what the event does not know', () => {
    const deferred = toNotification(mailEvent(2)).document;
    expect(deferred.detail).toEqual({
      relay: 'smtp',
      answer: { code: 451, enhanced: '4.7.1', response: '451 4.7.1 try later' },
      retry_at: '2026-03-04T05:10:00.000Z',
    });

    const queued = toNotification(mailEvent(3, { type: 'queued', attempt: 0, tags: {}, detail: {} })).document;
    expect(queued.detail).toEqual({});
    expect(Object.keys(queued)).toEqual(['version', 'id', 'type', 'message_id', 'tenant', 'recipient', 'at', 'attempt', 'tags', 'detail']);
  });
});

// No SNS emulator runs here (see /work/shared/LOCAL-AWS.md: the only candidate ignores
// PublishBatch), so a loopback HTTP endpoint stands in for SNS. The real SNSClient sends
// its real requests — AWS query protocol, form-encoded — and the endpoint answers in SNS's
// XML, so the adapter is exercised end to end apart from SNS itself.
describe('SnsNotifier', () => {
  let fake: FakeAwsEndpoint | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  interface SentEntry {
    id: string;
    message: string;
    attributes: Record<string, { type: string; value: string }>;
  }

  function entriesOf(request: RecordedRequest): SentEntry[] {
    const form = new URLSearchParams(request.body);
    const entries: SentEntry[] = [];
    for (let i = 1; form.has(`PublishBatchRequestEntries.member.${i}.Id`); i += 1) {
      const prefix = `PublishBatchRequestEntries.member.${i}`;
      const attributes: SentEntry['attributes'] = {};
      for (let j = 1; form.has(`${prefix}.MessageAttributes.entry.${j}.Name`); j += 1) {
        const entry = `${prefix}.MessageAttributes.entry.${j}`;
        attributes[form.get(`${entry}.Name`)!] = {
          type: form.get(`${entry}.Value.DataType`)!,
          value: form.get(`${entry}.Value.StringValue`)!,
        };
      }
      entries.push({ id: form.get(`${prefix}.Id`)!, message: form.get(`${prefix}.Message`)!, attributes });
    }
    return entries;
  }

  /** Answers PublishBatch like SNS; `fail(id, requestNo)` picks entries to report as failed. */
  async function fakeSns(fail: (id: string, requestNo: number) => { code: string; senderFault: boolean } | undefined = () => undefined) {
    const started = await startFakeAwsEndpoint((request) => {
      const requestNo = started.requests.length;
      const members = entriesOf(request).map((entry) => ({ entry, failure: fail(entry.id, requestNo) }));
      const ok = members
        .filter((m) => !m.failure)
        .map((m) => `<member><Id>${m.entry.id}</Id><MessageId>mid-${requestNo}-${m.entry.id}</MessageId></member>`);
      const failed = members
        .filter((m) => m.failure)
        .map(
          (m) =>
            `<member><Id>${m.entry.id}</Id><Code>${m.failure!.code}</Code><Message>scripted</Message><SenderFault>${m.failure!.senderFault}</SenderFault></member>`,
        );
      return {
        headers: { 'content-type': 'text/xml' },
        body: `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>${ok.join('')}</Successful><Failed>${failed.join('')}</Failed></PublishBatchResult><ResponseMetadata><RequestId>r-${requestNo}</RequestId></ResponseMetadata></PublishBatchResponse>`,
      };
    });
    fake = started;
    return { fake: started, notifier: new SnsNotifier(new SNSClient(localClientConfig(started.endpoint)), TOPIC, { backoffMs: 1 }) };
  }

  it('publishes 25 events as 3 PublishBatch calls of 10, 10 and 5 with documents and attributes', async () => {
    const { fake, notifier } = await fakeSns();
    const events = Array.from({ length: 25 }, (_, i) => mailEvent(i, { tenant: i % 2 ? 'tenant-b' : 'tenant-a' }));

    await notifier.publish(events);

    expect(fake.requests).toHaveLength(3);
    for (const request of fake.requests) {
      const form = new URLSearchParams(request.body);
      expect(form.get('Action')).toBe('PublishBatch');
      expect(form.get('TopicArn')).toBe(TOPIC);
    }
    const batches = fake.requests.map(entriesOf);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    const sent = batches.flat();
    expect(sent.map((e) => JSON.parse(e.message))).toEqual(events.map((e) => toNotification(e).document));
    expect(sent[1]?.attributes).toMatchObject({
      tenant: { type: 'String', value: 'tenant-b' },
      type: { type: 'String', value: 'deferred' },
    });
    expect(new Set(batches[0]!.map((e) => e.id)).size).toBe(10);
  });

  it('retries only the entries SNS failed, then succeeds', async () => {
    const { fake, notifier } = await fakeSns((id, requestNo) =>
      requestNo === 1 && (id === '2' || id === '7') ? { code: 'InternalError', senderFault: false } : undefined,
    );

    await notifier.publish(Array.from({ length: 10 }, (_, i) => mailEvent(i)));

    expect(fake.requests).toHaveLength(2);
    expect(entriesOf(fake.requests[1]!).map((e) => JSON.parse(e.message).message_id)).toEqual(['01MSG0002', '01MSG0007']);
  });

  it('throws PublishError when entries keep failing, and at once for a sender fault', async () => {
    const transient = await fakeSns((id) => (id === '0' ? { code: 'InternalError', senderFault: false } : undefined));
    await expect(transient.notifier.publish([mailEvent(1)])).rejects.toThrow(PublishError);
    expect(transient.fake.requests).toHaveLength(3);
    await transient.fake.close();

    const sender = await fakeSns(() => ({ code: 'InvalidParameter', senderFault: true }));
    const error = await sender.notifier.publish([mailEvent(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).failures).toEqual(['InvalidParameter: scripted']);
    expect(sender.fake.requests).toHaveLength(1);
  });
});
