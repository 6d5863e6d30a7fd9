/** Local mode's dev key is the user's like any other: revoked through the API, it stays revoked after a restart. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiKeyId, hashApiKey } from '../../lib/domain/api-key.ts';
import { startLocal, type LocalRuntime } from '../../lib/local/runtime.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { call, restartableOptions } from '../support/pipeline.ts';

const dataDir = join(process.cwd(), '.tmp', `local-dev-key-${process.pid}-${Date.now()}`);
let runtime: LocalRuntime | undefined;

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("local mode's dev key", () => {
  it('stays revoked across a restart on the same data folder', async () => {
    // The data folder holds the dev key; the tables live in the test run's DynamoDB Local under one prefix.
    const options = restartableOptions(dataDir);
    runtime = await startLocal(options);
    const devKey = runtime.apiKey;
    const issued = await call(runtime, 'POST', '/v1/tenants/dev/keys', { scopes: ['admin', 'read'] });
    expect(issued.status).toBe(201);
    const other: string = issued.body.key;
    const asOther = { authorization: `Bearer ${other}` };
    const revoked = await call(runtime, 'DELETE', `/v1/tenants/dev/keys/${apiKeyId(hashApiKey(devKey))}`, undefined, asOther);
    expect(revoked.status).toBe(204);
    expect((await call(runtime, 'GET', '/v1/tenants/dev/keys')).status).toBe(401);
    await runtime.stop();

    runtime = await startLocal({ ...options, log: memoryLog() });
    expect(runtime.apiKey).toBe(devKey);
    expect((await call(runtime, 'GET', '/v1/tenants/dev/keys')).status).toBe(401);
    expect((await call(runtime, 'GET', '/v1/tenants/dev/keys', undefined, asOther)).status).toBe(200);
  });
});
