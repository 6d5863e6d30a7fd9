#!/usr/bin/env -S npx tsx
/**
 * mailroom's admin command line.
 *
 *   npx mailroom create-key --tenant acme [--scopes send,read] [--table <ApiKeysTableName>] [--endpoint <url>]
 *
 * Uses the usual AWS credentials and region. The key is printed once and stored hashed.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoApiKeyStore } from '../lib/adapters/dynamodb/api-key-store.ts';
import { API_KEY_SCOPES, generateApiKey, hashApiKey, keyPrefix, type ApiKeyScope } from '../lib/domain/api-key.ts';
import { ENV } from '../lib/env.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `usage: npx mailroom create-key --tenant <id> [--scopes send,read,admin] [--table <ApiKeysTableName>] [--endpoint <url>]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function createKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { tenant: { type: 'string' }, scopes: { type: 'string', default: 'send,read' }, table: { type: 'string' }, endpoint: { type: 'string' } },
    strict: true,
  });
  const tenant = values.tenant?.trim();
  if (!tenant || !/^[A-Za-z0-9_-]{1,64}$/.test(tenant)) fail('--tenant is required: letters, digits, _ and -, at most 64');
  const scopes = (values.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length) fail(`--scopes takes a comma-separated list of ${API_KEY_SCOPES.join(', ')}`);
  const table = values.table ?? process.env[ENV.apiKeysTable];
  if (!table) fail(`--table is required (the stack output ApiKeysTableName), or set ${ENV.apiKeysTable}`);

  const client = new DynamoDBClient(values.endpoint ? { endpoint: values.endpoint } : {});
  const key = generateApiKey();
  await new DynamoApiKeyStore(client, table).put({
    hash: hashApiKey(key),
    prefix: keyPrefix(key),
    tenant,
    scopes: scopes as ApiKeyScope[],
    createdAt: new Date().toISOString(),
  });
  client.destroy();
  process.stdout.write(`${key}\n`);
  process.stderr.write(`API key for tenant "${tenant}" (scopes: ${scopes.join(', ')}). It is shown only now; mailroom keeps its hash.\n`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'create-key') {
  createKey(rest).catch((error: Error) => fail(`create-key failed: ${error.message}`));
} else {
  fail(command ? `unknown command "${command}"` : 'a command is required');
}
