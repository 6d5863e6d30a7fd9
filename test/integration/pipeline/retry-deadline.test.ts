/** A relay that cannot be reached: deferrals with backoff, then a soft bounce that suppresses nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../lib/local/ports.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';

let runtime: LocalRuntime;

beforeAll(async () => {
  // Nothing listens on this port: every attempt is a connection failure.
  runtime = await startPipeline({
    relay: `smtp://127.0.0.1:${await freePort()}`,
    env: { MAILROOM_RETRY_BASE_SECONDS: '1', MAILROOM_RETRY_MAX_AGE_SECONDS: '4' },
  });
});
afterAll(() => runtime?.stop());

describe('retry deadline', () => {
  it('defers while the relay is unreachable, then soft-bounces at the deadline without suppressing', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', {
      from: 'ops@acme.test',
      to: 'hal@remote.test',
      subject: 'Unreachable',
      text: 'x',
    });
    expect(sent.status).toBe(202);
    const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'bounced', 30_000);
    const types = message.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('queued');
    expect(types.at(-1)).toBe('bounced');
    expect(types.slice(1, -1).every((t: string) => t === 'deferred')).toBe(true);
    expect(types.filter((t: string) => t === 'deferred').length).toBeGreaterThanOrEqual(1);
    const bounce = message.events.at(-1);
    expect(bounce.detail).toMatchObject({ bounce_type: 'soft', reason: 'retry deadline passed', category: 'relay_unreachable' });
    expect(bounce.detail.answer.code).toBeUndefined();
    expect(bounce.detail.answer.response).toMatch(/ECONNREFUSED|connect/i);
    // A soft bounce leaves the address mailable.
    expect((await call(runtime, 'GET', '/v1/suppressions/hal@remote.test')).status).toBe(404);
  }, 40_000);
});
