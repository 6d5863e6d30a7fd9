/** The `sending_paused` notice: its public document, on SNS (a loopback stand-in: no SNS emulator here), in local mode, and to webhooks. */
import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { LogNotifier } from '../../lib/adapters/sns/log-notifier.ts';
import { toNoticeNotification } from '../../lib/adapters/sns/notification.ts';
import { SnsNotifier } from '../../lib/adapters/sns/sns-notifier.ts';
import { DEFAULT_REPUTATION_POLICY, type SendingPausedNotice } from '../../lib/domain/reputation.ts';
import { localClientConfig } from '../../lib/local/aws.ts';
import { WebhookFanout } from '../../lib/use-cases/webhook-fanout.ts';
import { createWebhook } from '../../lib/use-cases/webhooks.ts';
import { webhookDeps } from '../support/webhook-deps.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint } from './adapters/fake-aws-endpoint.ts';

const notice = (tenant = 'acme', at = '2026-11-28T15:26:00.896Z'): SendingPausedNotice => ({
  type: 'sending_paused',
  id: `${tenant}/sending_paused/${at}`,
  tenant,
  at,
  reason: 'bounce rate 6.2% over the last 24 h (threshold 5%)',
  by: 'breaker',
  policy: DEFAULT_REPUTATION_POLICY,
  figures: { sent: 937.6, bouncedHard: 62.2, complained: 0 },
  rates: { bounceRate: 62.2 / 999.8, complaintRate: 0 },
});

let fake: FakeAwsEndpoint | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('the sending_paused notice', () => {
  it('is a versioned snake_case document with tenant and type attributes', () => {
    const { document, message, attributes } = toNoticeNotification(notice());
    expect(document).toEqual({
      version: 1,
      id: 'acme/sending_paused/2026-11-28T15:26:00.896Z',
      type: 'sending_paused',
      tenant: 'acme',
      at: '2026-11-28T15:26:00.896Z',
      detail: {
        reason: 'bounce rate 6.2% over the last 24 h (threshold 5%)',
        by: 'breaker',
        window_hours: 24,
        sent: 938,
        bounced_hard: 62,
        complained: 0,
        bounce_rate: 0.062212,
        complaint_rate: 0,
        bounce_rate_threshold: 0.05,
        complaint_rate_threshold: 0.001,
        min_volume: 100,
      },
    });
    expect(JSON.parse(message)).toEqual(document);
    expect(attributes).toEqual({
      tenant: { DataType: 'String', StringValue: 'acme' },
      type: { DataType: 'String', StringValue: 'sending_paused' },
    });
  });

  it('is published on the topic as one message with its attributes', async () => {
    fake = await startFakeAwsEndpoint(() => ({
      headers: { 'content-type': 'text/xml' },
      body: '<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful><member><Id>0</Id><MessageId>m1</MessageId></member></Successful><Failed></Failed></PublishBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishBatchResponse>',
    }));
    const sns = new SnsNotifier(new SNSClient(localClientConfig(fake.endpoint)), 'arn:aws:sns:us-east-1:123456789012:mailroom-events');
    await sns.publishNotice(notice());
    expect(fake.requests).toHaveLength(1);
    const form = new URLSearchParams(fake.requests[0]!.body);
    const entry = 'PublishBatchRequestEntries.member.1';
    expect(JSON.parse(form.get(`${entry}.Message`)!)).toEqual(toNoticeNotification(notice()).document);
    const names = [1, 2].map((i) => form.get(`${entry}.MessageAttributes.entry.${i}.Name`));
    expect(names.sort()).toEqual(['tenant', 'type']);
  });

  it('is kept apart from message events in local mode, newest first', async () => {
    const local = new LogNotifier(memoryLog(), { keep: 2 });
    for (const at of ['2026-11-28T01:00:00.000Z', '2026-11-28T02:00:00.000Z', '2026-11-28T03:00:00.000Z'])
      await local.publishNotice(notice('acme', at));
    expect(local.notices().map((n) => n.at)).toEqual(['2026-11-28T03:00:00.000Z', '2026-11-28T02:00:00.000Z']);
    expect(local.recent()).toEqual([]);
  });

  it('is queued for the tenant’s webhooks that want it, as the topic has it', async () => {
    const deps = webhookDeps();
    const paused = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/paused', events: ['sending_paused'] });
    await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/bounces', events: ['bounced'] });
    await new WebhookFanout(deps).publishNotice(notice());
    expect(deps.webhookQueue.enqueued.map((e) => [e.job.endpointId, e.job.type, e.job.body])).toEqual([
      [paused.id, 'sending_paused', toNoticeNotification(notice()).message],
    ]);
  });
});
