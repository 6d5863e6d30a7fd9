/** Local mode moves suppressions stored in the layout before (one partition per tenant) when it starts, and honours them. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localTableNames } from '../../lib/local/create-tables.ts';
import { startLocal, type LocalRuntime } from '../../lib/local/runtime.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { call, restartableOptions } from '../support/pipeline.ts';

const dataDir = join(process.cwd(), '.tmp', `local-suppressions-${process.pid}-${Date.now()}`);
let runtime: LocalRuntime | undefined;

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local mode and suppressions of the layout before', () => {
  it('moves them at start, so that they are read, listed and honoured', async () => {
    const options = restartableOptions(dataDir);
    runtime = await startLocal(options);
    const old = { tenant: 'dev', email: 'gone@example.org', reason: 'hard_bounce', createdAt: '2026-01-05T10:00:00.000Z' };
    await runtime.dynamo.send(
      new PutItemCommand({ TableName: localTableNames(options.prefix).suppressions, Item: marshall({ ...old, pk: 'dev', sk: old.email }) }),
    );
    expect((await call(runtime, 'GET', '/v1/suppressions/gone@example.org')).status).toBe(404);
    await runtime.stop();

    const log = memoryLog();
    runtime = await startLocal({ ...options, log });
    const view = { email: old.email, reason: old.reason, created_at: old.createdAt };
    expect((await call(runtime, 'GET', '/v1/suppressions/gone@example.org')).body).toEqual(view);
    expect((await call(runtime, 'GET', '/v1/suppressions')).body).toEqual({ data: [view], next_cursor: null });
    const send = await call(runtime, 'POST', '/v1/messages', {
      from: 'dev@mailroom.local',
      to: ['gone@example.org'],
      subject: 'Hello',
      text: 'Hi',
    });
    // The only recipient is suppressed: refused, and recorded as rejected.
    expect([send.status, send.body.error?.code]).toEqual([422, 'all_recipients_suppressed']);
  });
});
