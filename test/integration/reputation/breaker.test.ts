/**
 * The reputation breaker through the local runtime: hard bounces over the threshold pause the
 * tenant (one `sending_paused` notice), the API refuses its sends with the reason, and once an
 * operator resumes it (TenantStore.setSending) it sends again, its window starting afresh.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTenantStore } from '../../../lib/adapters/dynamodb/tenant-store.ts';
import { ENV } from '../../../lib/env.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import { DEV_TENANT, type LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';
import { waitFor } from '../../support/wait.ts';

let remote: RemoteSmtp;
let runtime: LocalRuntime;
let tenants: DynamoTenantStore;

beforeAll(async () => {
  remote = await startRemoteSmtp((address) => (address.startsWith('gone') ? { code: 550, text: '5.1.1 user unknown' } : undefined));
  runtime = await startPipeline({
    relay: remote.url,
    // A small window volume keeps the test fast; no state cache, so a pause and a resume are seen at once.
    env: { MAILROOM_BREAKER_BOUNCE_RATE: '0.05', MAILROOM_BREAKER_MIN_VOLUME: '10', MAILROOM_SENDING_STATE_CACHE_SECONDS: '0' },
  });
  tenants = new DynamoTenantStore(runtime.dynamo, runtime.env[ENV.tenantsTable]!);
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
});

const message = (to: string | string[]) => ({ from: 'news@shop.test', to, subject: 'Hello', text: 'x' });

/** Waits until the tenant's report totals (yesterday and today, for runs around midnight) satisfy `done`. */
async function waitForTotals(done: (totals: Record<string, number>) => boolean): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  await waitFor(async () => (await call(runtime, 'GET', `/v1/reports?from=${yesterday}&to=${today}`)).body.totals, done, {
    message: 'the report totals',
  });
}

async function waitForNotices(count: number): Promise<void> {
  await waitFor(
    () => runtime.notifier.notices(),
    (notices) => notices.length >= count,
    { message: `${count} sending_paused notice(s)` },
  );
}

describe('the reputation breaker', () => {
  it('pauses a tenant whose hard-bounce rate passes the threshold, and an operator resumes it', async () => {
    const good = await call(runtime, 'POST', '/v1/messages', message(Array.from({ length: 10 }, (_, i) => `reader${i}@remote.test`)));
    expect(good.status).toBe(202);
    await waitForTotals((t) => t.sent === 10);
    expect(runtime.notifier.notices()).toEqual([]);

    // One hard bounce more: 1 of 11 recipients, 9.09% over the last 24 hours.
    const bad = await call(runtime, 'POST', '/v1/messages', message('gone@remote.test'));
    expect(bad.status).toBe(202);
    await waitForNotices(1);
    const reason = 'bounce rate 9.09% over the last 24 h (threshold 5%)';
    const [notice] = runtime.notifier.notices();
    expect(notice).toMatchObject({
      version: 1,
      type: 'sending_paused',
      tenant: DEV_TENANT,
      detail: {
        reason,
        by: 'breaker',
        window_hours: 24,
        sent: 10,
        bounced_hard: 1,
        complained: 0,
        bounce_rate_threshold: 0.05,
        min_volume: 10,
      },
    });
    expect(notice!.type === 'sending_paused' && notice!.detail.bounce_rate).toBeCloseTo(1 / 11, 6);
    expect(await tenants.get(DEV_TENANT)).toMatchObject({ sending: { status: 'paused', reason, by: 'breaker', pausedAt: notice!.at } });

    const refused = await call(runtime, 'POST', '/v1/messages', message('reader0@remote.test'));
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'sending_paused', details: { reason, paused_at: notice!.at } });
    expect(refused.body.error.message).toContain(reason);
    const batch = await call(runtime, 'POST', '/v1/messages/batch', { messages: [message('reader1@remote.test')] });
    expect(batch.status).toBe(403);

    // Another bounce of the paused tenant (an SES bounce arriving late, say) publishes nothing more.
    const late = {
      eventId: 'late-bounce',
      messageId: bad.body.id,
      tenant: DEV_TENANT,
      recipient: 'gone@remote.test',
      type: 'bounced',
      at: new Date().toISOString(),
      attempt: 1,
      tags: {},
      detail: { bounceType: 'hard' },
    };
    const record = { eventName: 'INSERT', dynamodb: { NewImage: marshall(late), SequenceNumber: '1' } };
    await runtime.handlers.stream({ Records: [record] } as unknown as DynamoDBStreamEvent, lambdaContext('stream', 30));
    expect(runtime.notifier.notices()).toHaveLength(1);

    // The operator resumes the tenant: sends are accepted and delivered again.
    expect(await tenants.setSending(DEV_TENANT, { status: 'active' }, new Date().toISOString())).toBe(true);
    const again = await call(runtime, 'POST', '/v1/messages', message('reader2@remote.test'));
    expect(again.status).toBe(202);
    await waitForMessage(runtime, again.body.id, (m) => m.status === 'sent');

    // The window starts at the resume: a single new bounce is below the minimum volume.
    const after = await call(runtime, 'POST', '/v1/messages', message('gone2@remote.test'));
    expect(after.status).toBe(202);
    await waitForTotals((t) => t.bounced_hard === 3);
    expect((await tenants.get(DEV_TENANT))?.sending).toEqual({ status: 'active' });
    expect(runtime.notifier.notices()).toHaveLength(1);
  }, 60_000);
});
