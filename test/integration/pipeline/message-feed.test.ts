/**
 * The activity feed over the whole local pipeline: statuses set by the real deliver handler
 * (a 5xx bounce, a 4xx deferral, a relay's acceptance) and a campaign fanned out by the real
 * campaign handler are found through GET /v1/messages with the filters that index them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';
import { waitFor } from '../../support/wait.ts';

let remote: RemoteSmtp;
let runtime: LocalRuntime;

beforeAll(async () => {
  remote = await startRemoteSmtp((address) => {
    if (address.startsWith('full')) return { code: 452, text: '4.2.2 mailbox full, try again later' };
    if (address.startsWith('nobody')) return { code: 550, text: '5.1.1 no such mailbox' };
    return undefined;
  });
  runtime = await startPipeline({ relay: remote.url });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
});

const base = { from: 'Acme <hello@acme.test>', subject: 'Your order', text: 'Thanks.' };

/** The ids GET /v1/messages lists for `query` (one page). */
async function listed(query: Record<string, string>): Promise<string[]> {
  const answer = await call(runtime, 'GET', `/v1/messages?${new URLSearchParams(query)}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data.map((item: { id: string }) => item.id);
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
});
