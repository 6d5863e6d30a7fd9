/** Local mode's notifications feed (`/notifications`) is kept in the data folder like the rest: a restart keeps its history. */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startLocal, type LocalOptions, type LocalRuntime } from '../../lib/local/runtime.ts';
import { uniquePrefix } from '../support/local-aws.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { call } from '../support/pipeline.ts';
import { waitFor } from '../support/wait.ts';

const dataDir = join(process.cwd(), '.tmp', `local-notifications-${process.pid}-${Date.now()}`);
let runtime: LocalRuntime | undefined;

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function feed(target: LocalRuntime): Promise<{ id: string; type: string; message_id?: string }[]> {
  return (await fetch(`${target.apiUrl}/notifications`)).json() as Promise<{ id: string; type: string; message_id?: string }[]>;
}

describe("local mode's notifications feed", () => {
  it('keeps its history across a restart on the same data folder', async () => {
    const options: LocalOptions = {
      dataDir,
      port: 0,
      relay: 'capture',
      prefix: uniquePrefix(),
      dynamoEndpoint: inject('dynamoEndpoint'),
      sqsEndpoint: inject('sqsEndpoint'),
      log: memoryLog(),
    };
    runtime = await startLocal(options);
    const sent = await call(runtime, 'POST', '/v1/messages', { from: 'ops@acme.test', to: 'ann@remote.test', subject: 'Kept', text: 'x' });
    expect(sent.status).toBe(202);
    await waitFor(
      () => feed(runtime!),
      (notes) => notes.some((n) => n.message_id === sent.body.id && n.type === 'sent'),
      { timeout: 30_000, message: 'the sent notification' },
    );
    const before = await feed(runtime);
    await runtime.stop();
    runtime = undefined;

    runtime = await startLocal({ ...options, pollers: false, log: memoryLog() });
    expect(await feed(runtime)).toEqual(before);
    expect(statSync(join(dataDir, 'notifications.jsonl')).mode & 0o777).toBe(0o600);
  });
});
