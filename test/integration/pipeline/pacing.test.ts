/**
 * Delivery paced to the relay's rate: a relay that refuses recipients above its rate (454,
 * as SES and most providers answer a throttled sender) never has to refuse any when
 * MAILROOM_RELAY_MAX_RATE is set, and does refuse without it (the control).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';

const RATE = 4;
const MESSAGES = 36;

/** A relay that takes at most `limit` recipients in any one second (sliding), refusing the rest with 454. */
async function rateLimitedRelay(limit: number): Promise<RemoteSmtp & { refused: () => number; maxPerSecond: () => number }> {
  const accepted: number[] = [];
  let refused = 0;
  let maxPerSecond = 0;
  const relay = await startRemoteSmtp(() => {
    const now = Date.now();
    while (accepted.length && accepted[0]! <= now - 1000) accepted.shift();
    if (accepted.length >= limit) {
      refused += 1;
      return { code: 454, text: '4.7.0 Throttling failure: Maximum sending rate exceeded.' };
    }
    accepted.push(now);
    maxPerSecond = Math.max(maxPerSecond, accepted.length);
    return undefined;
  });
  return Object.assign(relay, { refused: () => refused, maxPerSecond: () => maxPerSecond });
}

/** Sends MESSAGES in one batch; with `sendAt` (RFC 3339), all due at that time. */
async function sendAll(runtime: LocalRuntime, sendAt?: string): Promise<string[]> {
  const messages = Array.from({ length: MESSAGES }, (_, i) => ({
    from: 'app@example.com',
    to: `r${i}@example.net`,
    subject: `paced ${i}`,
    text: 'hello',
    ...(sendAt && { send_at: sendAt }),
  }));
  const { status, body } = await call(runtime, 'POST', '/v1/messages/batch', { messages });
  expect(status).toBe(202);
  return (body.results as { id: string }[]).map((r) => r.id);
}

let runtime: LocalRuntime | undefined;
let relay: Awaited<ReturnType<typeof rateLimitedRelay>> | undefined;
afterEach(async () => {
  await runtime?.stop();
  await relay?.close();
  runtime = relay = undefined;
});

describe('delivery paced to the relay', () => {
  it('never exceeds the relay rate when it is configured: nothing refused, everything sent', async () => {
    // Fixed one-second windows let at most twice the rate through in any sliding second.
    relay = await rateLimitedRelay(2 * RATE);
    runtime = await startPipeline({ relay: relay.url, deliverConcurrency: 4, env: { [ENV.relayMaxRate]: String(RATE) } });
    // One message first, so that the relay's pooled connection is open before the run: a
    // connection still opening holds sends back and lets them out together.
    await call(runtime, 'POST', '/v1/messages', { from: 'app@example.com', to: 'warm@example.net', subject: 'warm-up', text: 'hello' });
    await relay.waitFor(1, 30_000);
    relay.delivered.length = 0;
    const started = Date.now();
    const ids = await sendAll(runtime);
    await relay.waitFor(MESSAGES, 60_000);
    const seconds = (Date.now() - started) / 1000;
    expect(relay.refused()).toBe(0);
    expect(relay.delivered).toHaveLength(MESSAGES);
    for (const id of ids.slice(0, 3)) await waitForMessage(runtime, id, (m) => m.status === 'sent');
    // At RATE per second, MESSAGES take at least MESSAGES / RATE - 1 seconds.
    expect(seconds).toBeGreaterThanOrEqual(MESSAGES / RATE - 1);
  }, 90_000);

  it('control: the same relay refuses recipients when delivery is not paced', async () => {
    relay = await rateLimitedRelay(2 * RATE);
    runtime = await startPipeline({ relay: relay.url, deliverConcurrency: 4 });
    // All due together a few seconds on, once every message is stored: on a loaded machine, jobs
    // that reach delivery while the batch is still being stored look again a second or more later,
    // and mail that trickles in that way may never pass the relay's rate.
    await sendAll(runtime, new Date(Date.now() + 3000).toISOString());
    await relay.waitFor(MESSAGES, 60_000);
    expect(relay.refused()).toBeGreaterThan(0);
    expect(relay.maxPerSecond()).toBe(2 * RATE);
  }, 90_000);
});
