import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { DynamoApiKeyStore } from '../../lib/adapters/dynamodb/api-key-store.ts';
import { hashApiKey, looksLikeApiKey } from '../../lib/domain/api-key.ts';
import { cliEnv, dynamoClient, freshTables } from '../support/local-aws.ts';

const run = promisify(execFile);

describe('npx mailroom create-key', () => {
  it('stores a new key hashed, for the tenant and scopes given, and prints it once', async () => {
    const client = dynamoClient();
    const tables = await freshTables(client);
    const env = cliEnv();
    const { stdout, stderr } = await run(
      'npx',
      [
        'tsx',
        'bin/mailroom.ts',
        'create-key',
        '--tenant',
        'acme',
        '--scopes',
        'send',
        '--table',
        tables.apiKeys,
        '--endpoint',
        inject('dynamoEndpoint'),
      ],
      { env },
    );
    const key = stdout.trim();
    expect(looksLikeApiKey(key)).toBe(true);
    expect(stderr).not.toContain(key);
    const record = await new DynamoApiKeyStore(client, tables.apiKeys).findByHash(hashApiKey(key));
    expect(record).toMatchObject({ tenant: 'acme', scopes: ['send'] });
    client.destroy();
  });

  it('refuses unknown scopes and a missing tenant with the usage', async () => {
    const failed = run('npx', ['tsx', 'bin/mailroom.ts', 'create-key', '--scopes', 'root', '--table', 'x']);
    await expect(failed).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--tenant is required') });
  });
});
