/** The SES relay end to end through a local SES, and a restart that keeps queued mail. */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startLocal } from '../../../lib/local/runtime.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startSesEmulator } from '../../support/ses-emulator.ts';

describe('relays and restarts', () => {
  it('delivers through Amazon SES v2 (aws-ses-v2-local) with the raw MIME', async () => {
    const ses = await startSesEmulator();
    const runtime = await startPipeline({ relay: 'ses', sesEndpoint: ses.endpoint });
    try {
      const sent = await call(runtime, 'POST', '/v1/messages', {
        from: 'news@acme.test',
        to: 'fay@remote.test',
        subject: 'Via SES',
        html: '<b>hi</b>',
      });
      expect(sent.status).toBe(202);
      const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
      const answer = message.recipients[0].last_answer;
      expect(answer.code).toBe(250);
      expect(answer.response).toMatch(/^SES message id \S+/);
      const stored = await ses.stored();
      expect(stored.map((m) => [m.subject, m.destination.to])).toEqual([['Via SES', ['fay@remote.test']]]);
    } finally {
      await runtime.stop();
      await ses.stop();
    }
  });

  it('keeps accepted mail across a restart and delivers it afterwards', async () => {
    const dataDir = join(process.cwd(), '.tmp', `restart-${process.pid}-${Date.now()}`);
    const options = { dataDir, port: 0, relay: 'capture', log: memoryLog() };
    try {
      // First run: accept a message, but stop before any delivery happens.
      const first = await startLocal({ ...options, pollers: false });
      const sent = await call(first, 'POST', '/v1/messages', {
        from: 'ops@acme.test',
        to: 'gus@remote.test',
        subject: 'Survives',
        text: 'x',
      });
      expect(sent.status).toBe(202);
      const key = first.apiKey;
      await first.stop();

      // Second run on the same data: same key, the message is requeued and delivered.
      const second = await startLocal(options);
      try {
        expect(second.apiKey).toBe(key);
        expect(second.requeued).toBe(1);
        const message = await waitForMessage(second, sent.body.id, (m) => m.status === 'sent');
        expect(message.attempts).toBe(1);
        expect(second.capture!.messages().map((m) => m.subject)).toEqual(['Survives']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
