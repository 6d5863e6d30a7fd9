/**
 * Whether a command runs against local mode (`npm start`), and if so pointing it there: the
 * DynamoDB and SQS endpoints, the table and queue names and the relay's kind of the local mode
 * running on the data folder (lib/local/endpoints.ts), and a region and credentials the
 * emulators take, so that the shell needs no AWS settings. DynamoDB Local's own key, in the
 * data folder, is found by adminDynamoConfig for an endpoint on this machine.
 */
import { join, resolve } from 'node:path';
import { ENV } from '../lib/env.ts';
import { EMULATOR_CREDENTIALS } from '../lib/local/aws.ts';
import { ENDPOINTS_FILE, readLocalEndpoints } from '../lib/local/endpoints.ts';
import { UsageError } from './usage-error.ts';

/** Settings that say a command is meant for AWS (or another endpoint), not local mode. */
const AWS_SETTINGS = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
];

/** Where tenants' relay URLs go when a command runs against local mode (as local mode keeps them). */
export const localSecrets: { dir?: string } = {};

export interface LocalTarget {
  dataDir: string;
  file: string;
  /** Chosen because nothing named AWS, rather than by --local. */
  detected: boolean;
}

/**
 * Points `env` at local mode when `--local` is given, or when no AWS setting or `--endpoint`
 * is and local mode runs on the data folder. Throws for `--local` with no local mode running.
 */
export function localTarget(local: boolean, argv: string[], env: NodeJS.ProcessEnv): LocalTarget | undefined {
  const dataDir = resolve(env.MAILROOM_DATA_DIR ?? '.data');
  const file = join(dataDir, ENDPOINTS_FILE);
  const endpoint = argv.some((a) => a === '--endpoint' || a.startsWith('--endpoint='));
  if (local && endpoint) throw new UsageError('give --local or --endpoint, not both');
  if (!local && (endpoint || AWS_SETTINGS.some((name) => env[name]))) return undefined;
  const endpoints = readLocalEndpoints(dataDir);
  if (!endpoints) {
    if (local)
      throw new UsageError(
        `--local: no local mode is running on ${dataDir} (npm start writes ${ENDPOINTS_FILE} there; or set MAILROOM_DATA_DIR)`,
      );
    return undefined;
  }
  Object.assign(env, endpoints.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb.endpoint,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs.endpoint,
    AWS_REGION: endpoints.dynamodb.region,
    // For the emulators that take any key; DynamoDB Local's own key comes from the data folder.
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    [ENV.relay]: endpoints.relay,
  });
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  localSecrets.dir = join(dataDir, 'secrets');
  return { dataDir, file, detected: !local };
}
