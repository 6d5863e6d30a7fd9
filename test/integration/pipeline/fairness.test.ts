/**
 * One tenant's campaign backlog does not hold back another tenant's transactional mail:
 * campaign jobs travel on the bulk queue with pollers of their own (in AWS, a queue of their
 * own, and SQS fair queues by tenant within each queue), and when delivery is paced to the
 * relay's rate, campaign mail may use only 80% of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSendRequest } from '../../../lib/domain/send-request.ts';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import type { BlobStore } from '../../../lib/ports/blob-store.ts';
import type { ImportBodyStore } from '../../../lib/ports/import-body-store.ts';
import { persist, prepare, type Prepared } from '../../../lib/use-cases/accept-message.ts';
import { wireApi } from '../../../lib/wiring.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';

const BACKLOG = 400;
/** The relay's rate: campaign mail may use 80% of it, so the backlog takes BACKLOG / (0.8 × RATE) s at least. */
const RATE = 5;
const TRANSACTIONAL = 10;
/** Most seconds a transactional message may take from acceptance to the relay while the backlog waits. */
const BOUND_SECONDS = 10;

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startPipeline({ deliverConcurrency: 2, env: { [ENV.relayMaxRate]: String(RATE) } });
});
afterAll(() => runtime.stop());

/** Queues a campaign's worth of messages for tenant `bulk` straight through the acceptance code. */
async function queueBacklog(): Promise<void> {
  // No export files or import bodies are written here; those stores are never used.
  const blobs = {} as BlobStore;
  const importBodies = {} as ImportBodyStore;
  const deps = wireApi(runtime.env, { dynamo: runtime.dynamo, sqs: runtime.sqs, blobs, importBodies, log: memoryLog() });
  const pages = Array.from({ length: BACKLOG / 100 }, (_, p) => p * 100);
  // A few pages at a time, as the campaign fan-out writes them.
  for (let start = 0; start < pages.length; start += 5) {
    await Promise.all(
      pages.slice(start, start + 5).map(async (first) => {
        const page: Prepared[] = [];
        for (let i = first; i < first + 100; i++) {
          const request = parseSendRequest({ from: 'news@bulk.example', to: `reader${i}@example.org`, subject: 'Our news', text: 'news' });
          page.push(await prepare(deps, 'bulk', request, { list: 'L1', campaign: 'C1', suppressed: new Map() }));
        }
        await persist(deps, page);
      }),
    );
  }
}

describe('fair sending', () => {
  it(`delivers another tenant's mail within ${BOUND_SECONDS} s while a ${BACKLOG}-message campaign waits`, async () => {
    await queueBacklog();
    const latencies: number[] = [];
    for (let i = 0; i < TRANSACTIONAL; i++) {
      const started = Date.now();
      const { status, body } = await call(runtime, 'POST', '/v1/messages', {
        from: 'app@example.com',
        to: `user${i}@example.net`,
        subject: 'Your code',
        text: '123456',
      });
      expect(status).toBe(202);
      await waitForMessage(runtime, body.id, (m) => m.status === 'sent', 60_000);
      latencies.push((Date.now() - started) / 1000);
    }
    const delivered = runtime.capture!.messages();
    const campaignDelivered = delivered.filter((m) => m.from.includes('bulk.example')).length;
    expect(Math.max(...latencies)).toBeLessThan(BOUND_SECONDS);
    // The backlog was still there while the transactional mail went out.
    expect(campaignDelivered).toBeLessThan(BACKLOG);
  }, 240_000);
});
