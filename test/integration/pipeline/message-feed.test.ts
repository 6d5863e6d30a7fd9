/**
 * The activity feed over the whole local pipeline: statuses set by the real deliver handler
 * (a 5xx bounce, a 4xx deferral, a relay's acceptance), a campaign fanned out by the real
 * campaign handler, and scheduled sends (waiting, canceled, sent when their time came) are found
 * through GET /v1/messages with the filters that index them. The functions' clock runs with the
 * wall clock plus an offset that a test moves forward, so a send due hours ahead comes due.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';
import { waitFor } from '../../support/wait.ts';

let remote: RemoteSmtp;
let runtime: LocalRuntime;

const HOUR = 3_600_000;
/** The functions' clock: the wall clock moved forward by what tests add to `offset`. */
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

beforeAll(async () => {
  remote = await startRemoteSmtp((address) => {
    if (address.startsWith('full')) return { code: 452, text: '4.2.2 mailbox full, try again later' };
    if (address.startsWith('nobody')) return { code: 550, text: '5.1.1 no such mailbox' };
    return undefined;
  });
  runtime = await startPipeline({ relay: remote.url, clock });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
});

const base = { from: 'Acme <hello@acme.test>', subject: 'Your order', text: 'Thanks.' };

/** The rows GET /v1/messages lists for `query` (one page). */
async function rows(query: Record<string, string>): Promise<{ id: string; status: string; send_at?: string }[]> {
  const answer = await call(runtime, 'GET', `/v1/messages?${new URLSearchParams(query)}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

/** The ids GET /v1/messages lists for `query` (one page). */
async function listed(query: Record<string, string>): Promise<string[]> {
  return (await rows(query)).map((item) => item.id);
}

describe('the activity feed over the pipeline', () => {
  it('finds what delivery made of each message by its status, with its recipient and tag', async () => {
    const run = randomUUID().slice(0, 8);
    const send = async (to: string) => {
      const answer = await call(runtime, 'POST', '/v1/messages', { ...base, to, tags: { run } });
      expect(answer.status).toBe(202);
      return answer.body.id as string;
    };
    const bounced = await send('nobody@remote.test');
    const deferred = await send('full@remote.test');
    const sent = await send('ann@remote.test');
    await waitForMessage(runtime, bounced, (m) => m.status === 'bounced');
    await waitForMessage(runtime, deferred, (m) => m.status === 'deferred');
    await waitForMessage(runtime, sent, (m) => m.status === 'sent');

    expect(await listed({ tag: `run=${run}` })).toEqual([sent, deferred, bounced]);
    expect(await listed({ tag: `run=${run}`, status: 'bounced' })).toEqual([bounced]);
    expect(await listed({ status: 'bounced' })).toContain(bounced);
    expect(await listed({ status: 'deferred', to: 'full@remote.test' })).toEqual([deferred]);
    expect(await listed({ status: 'sent', tag: `run=${run}` })).toEqual([sent]);
    expect(await listed({ to: 'nobody@REMOTE.test' })).toEqual([bounced]);
  });

  it('lists a campaign’s messages by its id', async () => {
    const list = await call(runtime, 'POST', '/v1/lists', { name: `feed ${randomUUID().slice(0, 8)}` });
    for (const email of ['cleo@remote.test', 'dan@remote.test']) {
      expect((await call(runtime, 'POST', `/v1/lists/${list.body.id}/contacts`, { email })).status).toBe(201);
    }
    const campaign = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: list.body.id,
      from: 'Acme News <news@acme.test>',
      subject: 'News',
      text: 'News. Unsubscribe: {{unsubscribe_url}}',
    });
    expect(campaign.status).toBe(202);
    const ids = await waitFor(
      () => listed({ campaign: campaign.body.id }),
      (found) => found.length === 2,
      { timeout: 30_000, message: 'the campaign’s two messages in the feed' },
    );
    expect(await listed({ campaign: campaign.body.id, to: 'dan@remote.test' })).toHaveLength(1);
    expect(ids).toEqual(expect.arrayContaining(await listed({ to: 'cleo@remote.test' })));
  });

  it('finds a scheduled message as scheduled, a canceled one as canceled, and the first as sent once its time came', async () => {
    const run = randomUUID().slice(0, 8);
    const sendAt = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
    const schedule = async (to: string) => {
      const answer = await call(runtime, 'POST', '/v1/messages', { ...base, to, tags: { run }, send_at: sendAt });
      expect(answer.body).toMatchObject({ status: 'scheduled', send_at: sendAt });
      return answer.body.id as string;
    };
    const waiting = await schedule('gil@remote.test');
    const canceled = await schedule('hal@remote.test');
    expect(await call(runtime, 'POST', `/v1/messages/${canceled}/cancel`)).toMatchObject({ status: 200, body: { status: 'canceled' } });

    expect(await rows({ tag: `run=${run}` })).toEqual([
      expect.objectContaining({ id: canceled, status: 'canceled', send_at: sendAt }),
      expect.objectContaining({ id: waiting, status: 'scheduled', send_at: sendAt }),
    ]);
    expect(await listed({ tag: `run=${run}`, status: 'scheduled' })).toEqual([waiting]);
    expect(await listed({ tag: `run=${run}`, status: 'canceled' })).toEqual([canceled]);
    expect(await listed({ status: 'scheduled' })).toContain(waiting);
    expect(await listed({ status: 'canceled', to: 'hal@remote.test' })).toEqual([canceled]);

    // Its time comes: delivery sends it, and it leaves the scheduled messages; the canceled one stays.
    offset += 2 * HOUR;
    await waitForMessage(runtime, waiting, (m) => m.status === 'sent');
    expect(await listed({ tag: `run=${run}`, status: 'scheduled' })).toEqual([]);
    expect(await rows({ tag: `run=${run}`, status: 'sent' })).toEqual([expect.objectContaining({ id: waiting, send_at: sendAt })]);
    expect(await listed({ tag: `run=${run}`, status: 'canceled' })).toEqual([canceled]);
  });
});
