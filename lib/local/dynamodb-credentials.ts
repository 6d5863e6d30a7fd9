/**
 * Local mode's DynamoDB Local access key. DynamoDB Local cannot listen on loopback only; run
 * without `-sharedDb` it keeps one database per access key id and region, so a key that only
 * the data folder holds (mode 0600) keeps every other client, on this machine or the network,
 * out of mailroom's tables: they reach an empty database of their own. DynamoDB Local checks no
 * signature, so the access key id is what must stay secret.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_REGION, type LocalCredentials } from './aws.ts';
import { isLocalHost } from './local-host.ts';

/** The file in the data folder that holds the key. */
export const DYNAMODB_CREDENTIALS_FILE = 'dynamodb-credentials.json';

/** The database file of DynamoDB Local's `-sharedDb` mode, which local mode used before it had a key. */
export const SHARED_DATABASE_FILE = 'shared-local-instance.db';

/** A fresh key. DynamoDB Local takes letters and digits only in an access key id. */
function freshCredentials(): LocalCredentials {
  return {
    accessKeyId: `MRLOCAL${randomBytes(16).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/** The key kept in `dataDir`, if there is one. */
export function readLocalDynamoCredentials(dataDir: string): LocalCredentials | undefined {
  const file = join(dataDir, DYNAMODB_CREDENTIALS_FILE);
  if (!existsSync(file)) return undefined;
  const { accessKeyId, secretAccessKey } = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalCredentials>;
  if (typeof accessKeyId !== 'string' || !/^[A-Za-z0-9]+$/.test(accessKeyId) || typeof secretAccessKey !== 'string')
    throw new Error(`${file} does not hold an accessKeyId (letters and digits) and a secretAccessKey`);
  return { accessKeyId, secretAccessKey };
}

/** The key of the data folder, made and kept there on first use; a fresh one for each run without a folder. */
export function localDynamoCredentials(dataDir?: string): LocalCredentials {
  if (!dataDir) return freshCredentials();
  const kept = readLocalDynamoCredentials(dataDir);
  if (kept) return kept;
  const credentials = freshCredentials();
  const file = join(dataDir, DYNAMODB_CREDENTIALS_FILE);
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return credentials;
}

/** The file DynamoDB Local keeps the database of `credentials` in: `<accessKeyId>_<region>.db`. */
export function databaseFileName(credentials: LocalCredentials): string {
  return `${credentials.accessKeyId}_${LOCAL_REGION}.db`;
}

/**
 * Gives a database folder from the `-sharedDb` days to `credentials`: renames the shared file
 * to the key's own, unless that exists. Returns the names when it did.
 */
export function adoptSharedDatabase(dbPath: string, credentials: LocalCredentials): { from: string; to: string } | undefined {
  const from = join(dbPath, SHARED_DATABASE_FILE);
  const to = join(dbPath, databaseFileName(credentials));
  if (!existsSync(from) || existsSync(to)) return undefined;
  renameSync(from, to);
  return { from, to };
}

/**
 * DynamoDB client settings for the admin command line: `endpoint` (else the SDK's
 * AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL) and, when that endpoint is on this machine and
 * local mode's data folder (MAILROOM_DATA_DIR, else `.data`) holds a key, that key and region,
 * so that commands reach local mode's tables whatever AWS credentials the shell has.
 */
export function adminDynamoConfig(
  endpoint: string | undefined,
  env: Record<string, string | undefined> = process.env,
): { endpoint?: string; region?: string; credentials?: LocalCredentials } {
  const target = endpoint ?? env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  if (!target) return {};
  let host: string;
  try {
    host = new URL(target).host;
  } catch {
    return { endpoint: target }; // the SDK says what is wrong with it
  }
  const credentials = isLocalHost(host) ? readLocalDynamoCredentials(resolve(env.MAILROOM_DATA_DIR ?? '.data')) : undefined;
  return { endpoint: target, ...(credentials && { region: LOCAL_REGION, credentials }) };
}
