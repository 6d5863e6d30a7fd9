/** Soft bounces from mailroom's own delivery: one does not suppress, repeated ones in the window do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';

let remote: RemoteSmtp;
let runtime: LocalRuntime;

beforeAll(async () => {
  // A full mailbox is refused with 552 5.2.2: a soft bounce at once (it clears by itself).
  remote = await startRemoteSmtp((address) => (address.startsWith('full') ? { code: 552, text: '5.2.2 mailbox full' } : undefined));
  runtime = await startPipeline({ relay: remote.url, env: { MAILROOM_SOFT_BOUNCE_LIMIT: '3', MAILROOM_SOFT_BOUNCE_WINDOW_HOURS: '24' } });
});
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
});

const send = () => call(runtime, 'POST', '/v1/messages', { from: 'a@shop.test', to: 'full@remote.test', subject: 's', text: 't' });

describe('repeated soft bounces', () => {
  it('suppresses an address only once it soft-bounced the configured number of times', async () => {
    for (let i = 1; i <= 3; i++) {
      const sent = await send();
      expect(sent.status).toBe(202);
      const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'bounced');
      expect(message.events.at(-1).detail).toMatchObject({ bounce_type: 'soft', category: 'mailbox_full' });
      const suppression = await call(runtime, 'GET', '/v1/suppressions/full@remote.test');
      expect(suppression.status).toBe(i < 3 ? 404 : 200);
    }
    const entry = await call(runtime, 'GET', '/v1/suppressions/full@remote.test');
    expect(entry.body).toMatchObject({ reason: 'hard_bounce', detail: expect.stringMatching(/^soft-bounced 3 times within 24 hours/) });
    expect((await send()).status).toBe(422);
  });
});
