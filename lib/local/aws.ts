/** SDK client settings for local emulators: a loopback endpoint and dummy credentials. */

export interface LocalClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Config for an SDK v3 client talking to a local emulator. */
export function localClientConfig(endpoint: string): LocalClientConfig {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}
