/**
 * The commands of `npx mailroom`: create-key and redrive here, the tenant commands in
 * tenant-commands.ts. redrive moves the send queue's dead-letter queue back onto the send
 * queue, and makes the messages mailroom had marked `failed` `queued` again
 * (lib/use-cases/redrive.ts).
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoApiKeyStore } from '../lib/adapters/dynamodb/api-key-store.ts';
import { DynamoMessageStore } from '../lib/adapters/dynamodb/message-store.ts';
import { migrateSuppressions } from '../lib/adapters/dynamodb/suppression-migration.ts';
import { migrateUnsubscribes } from '../lib/adapters/dynamodb/unsubscribe-migration.ts';
import { SqsDeadLetterQueue } from '../lib/adapters/sqs/redrive.ts';
import { SqsSendQueue } from '../lib/adapters/sqs/sqs-send-queue.ts';
import { API_KEY_SCOPES, apiKeyId, generateApiKey, hashApiKey, keyPrefix, type ApiKeyScope } from '../lib/domain/api-key.ts';
import { ENV } from '../lib/env.ts';
import { adminDynamoConfig } from '../lib/local/dynamodb-credentials.ts';
import { systemClock } from '../lib/ports/clock.ts';
import { redrive } from '../lib/use-cases/redrive.ts';
import type { Command } from './cli.ts';
import { UsageError } from './usage-error.ts';
import { tenantCommands } from './tenant-commands.ts';

async function createKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: 'string' },
      scopes: { type: 'string', default: 'send,read' },
      table: { type: 'string' },
      endpoint: { type: 'string' },
    },
    strict: true,
  });
  const tenant = values.tenant?.trim();
  if (!tenant || !/^[A-Za-z0-9_-]{1,64}$/.test(tenant)) throw new UsageError('--tenant is required: letters, digits, _ and -, at most 64');
  const scopes = (values.scopes ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length) throw new UsageError(`--scopes takes a comma-separated list of ${API_KEY_SCOPES.join(', ')}`);
  const table = values.table ?? process.env[ENV.apiKeysTable];
  if (!table) throw new UsageError(`--table is required (the stack output ApiKeysTableName), or set ${ENV.apiKeysTable}`);

  const client = new DynamoDBClient(adminDynamoConfig(values.endpoint));
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
  process.stderr.write(
    `API key ${apiKeyId(hashApiKey(key))} for tenant "${tenant}" (scopes: ${scopes.join(', ')}). It is shown only now; mailroom keeps its hash.\n`,
  );
}

/** Moves the send DLQ's jobs back to the send queue; endpoints from AWS_ENDPOINT_URL_SQS / _DYNAMODB (or --endpoint) when set. */
async function redriveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'queue-url': { type: 'string' },
      'dlq-url': { type: 'string' },
      table: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      max: { type: 'string' },
      endpoint: { type: 'string' },
    },
    strict: true,
  });
  const queueUrl = values['queue-url'] ?? process.env[ENV.sendQueueUrl];
  const dlqUrl = values['dlq-url'] ?? process.env[ENV.deadLetterQueueUrl];
  const table = values.table ?? process.env[ENV.messagesTable];
  if (!queueUrl || !dlqUrl || !table) {
    throw new UsageError(
      `--queue-url, --dlq-url and --table are required (or ${ENV.sendQueueUrl}, ${ENV.deadLetterQueueUrl} and ${ENV.messagesTable}, as the deliver function has them)`,
    );
  }
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new UsageError('--max takes a whole number of at least 1');
  const dryRun = values['dry-run'] ?? false;

  const sqs = new SQSClient({});
  const dynamo = new DynamoDBClient(adminDynamoConfig(values.endpoint));
  try {
    const result = await redrive(
      {
        deadLetters: new SqsDeadLetterQueue(sqs, dlqUrl),
        queue: new SqsSendQueue(sqs, queueUrl, dlqUrl),
        messages: new DynamoMessageStore(dynamo, table),
        clock: systemClock,
      },
      { dryRun, ...(max !== undefined && { max }) },
    );
    const left = Object.entries(result.left);
    const leftCount = left.reduce((sum, [, n]) => sum + n, 0);
    const would = dryRun ? 'would be ' : '';
    process.stdout.write(
      [
        `redriven: ${result.redriven} job(s) ${would}put back on the send queue (${result.revived} failed message(s) ${would}queued again)`,
        `finished: ${result.finished} job(s) whose message has nothing left to send ${would}removed`,
        `left in the dead-letter queue: ${leftCount}${leftCount ? ` (${left.map(([why, n]) => `${why}: ${n}`).join(', ')})` : ''}`,
      ].join('\n') + '\n',
    );
  } finally {
    sqs.destroy();
    dynamo.destroy();
  }
}

/** The tables whose items moved to partitions per address, and how each is moved (lib/adapters/dynamodb/*-migration.ts). */
const MIGRATIONS = [
  { name: 'suppressions', option: 'suppressions-table', env: ENV.suppressionsTable, run: migrateSuppressions },
  { name: 'unsubscribes', option: 'unsubscribes-table', env: ENV.unsubscribesTable, run: migrateUnsubscribes },
] as const;

/** Moves suppressions and unsubscribes stored in the layout before they had partitions per address. */
async function migrateLayoutsCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { 'suppressions-table': { type: 'string' }, 'unsubscribes-table': { type: 'string' }, endpoint: { type: 'string' } },
    strict: true,
  });
  const tables = MIGRATIONS.map((m) => ({ ...m, table: values[m.option] ?? process.env[m.env] }));
  const missing = tables.find((t) => !t.table);
  if (missing) throw new UsageError(`--${missing.option} is required (the ${missing.name} table's name), or set ${missing.env}`);
  const dynamo = new DynamoDBClient(adminDynamoConfig(values.endpoint));
  try {
    for (const { name, table, run } of tables) {
      const { found, moved } = await run(dynamo, table!);
      process.stdout.write(
        `${name} in the old layout: ${found} found, ${moved} moved (the others were outranked by, or the same as, an entry made since)\n`,
      );
    }
  } finally {
    dynamo.destroy();
  }
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Record<string, Command> = {
  'create-key': {
    summary: 'Issue an API key for a tenant; prints it once (mailroom keeps its hash)',
    usage: '--tenant <id> [--scopes send,read,admin] [--table <ApiKeysTableName>]',
    help: 'The key goes to stdout, its id to stderr. Scopes are send and read by default.',
    run: createKey,
  },
  ...tenantCommands,
  redrive: {
    summary: "Put the send queue's dead-letter jobs back on it, and their failed messages back to queued",
    usage: '[--queue-url <send queue URL>] [--dlq-url <its DLQ URL>] [--table <messages table>] [--dry-run] [--max <n>]',
    help: `The queues and table default to ${ENV.sendQueueUrl}, ${ENV.deadLetterQueueUrl} and ${ENV.messagesTable}; --dry-run only reports.`,
    run: redriveCommand,
  },
  'migrate-layouts': {
    summary: 'Move suppressions and unsubscribes stored before they had partitions per address to their own (once, after deploying)',
    usage: '[--suppressions-table <name>] [--unsubscribes-table <name>]',
    help: `The tables default to ${ENV.suppressionsTable} and ${ENV.unsubscribesTable}. Safe to run again, and while mail flows.`,
    run: migrateLayoutsCommand,
  },
};
