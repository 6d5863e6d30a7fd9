/**
 * SDK client settings for local emulators: a loopback endpoint, a fixed region, and credentials.
 * The emulators that do not look at credentials (SQS, SES, SNS fakes) take any; DynamoDB Local
 * keeps one database per access key id and region, so local mode signs with its own key
 * (dynamodb-credentials.ts) and the test run's DynamoDB Local with {@link EMULATOR_CREDENTIALS}.
 */

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface LocalClientConfig {
  endpoint: string;
  region: string;
  credentials: LocalCredentials;
}

/** The region of every local client: DynamoDB Local names its database files after it. */
export const LOCAL_REGION = 'us-east-1';

/** Credentials for emulators that do not check them, and for the test run's DynamoDB Local. */
export const EMULATOR_CREDENTIALS: LocalCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Config for an SDK v3 client talking to a local emulator. */
export function localClientConfig(endpoint: string, credentials: LocalCredentials = EMULATOR_CREDENTIALS): LocalClientConfig {
  return { endpoint, region: LOCAL_REGION, credentials: { ...credentials } };
}
