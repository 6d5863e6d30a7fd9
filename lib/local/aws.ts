/**
 * SDK client settings for local emulators: a loopback endpoint, a fixed region, and credentials.
 * The emulators that do not look at credentials (SQS, SES, SNS fakes) take any; DynamoDB Local
 * keeps one database per access key id and region, so local mode signs with its own key
 * (dynamodb-credentials.ts) and the test run's DynamoDB Local with {@link EMULATOR_CREDENTIALS}.
 */
import { LoopbackRequestHandler } from './loopback-request-handler.ts';

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

/** The signature scheme every emulator client is set up for (SigV4's id, with a signer that does not sign). */
interface StaticAuthScheme {
  schemeId: 'aws.auth#sigv4';
  identityProvider: () => () => Promise<LocalCredentials & { expiration?: Date }>;
  signer: { sign<R extends { headers: Record<string, string> }>(request: R): Promise<R> };
}

export interface EmulatorClientConfig extends LocalClientConfig {
  cacheMiddleware: true;
  requestHandler: LoopbackRequestHandler;
  endpointProvider: () => { url: URL };
  httpAuthSchemes: StaticAuthScheme[];
}

/**
 * Config for the clients of local mode's own emulators (DynamoDB Local, the SQS emulator):
 * {@link localClientConfig} without the per-request work they have no use for. Neither checks a
 * signature, so requests carry a fixed `Authorization` header in SigV4's shape instead of being
 * signed: DynamoDB Local still needs one, and picks the database by the access key id in it.
 * The endpoint is given, not resolved from the SDK's rule set for each request; requests go
 * through {@link LoopbackRequestHandler}; and the client keeps the middleware stack it resolves
 * for each command (`cacheMiddleware`), so middleware must be added before the client's first
 * request (as `instrumentClient` is) and must not keep a request's state in the shared context.
 * Use it with {@link leanEmulatorClient}. Clients of AWS itself never use it.
 */
export function emulatorClientConfig(endpoint: string, credentials: LocalCredentials = EMULATOR_CREDENTIALS): EmulatorClientConfig {
  const config = localClientConfig(endpoint, credentials);
  const url = new URL(endpoint);
  const authorization =
    `AWS4-HMAC-SHA256 Credential=${config.credentials.accessKeyId}/20260101/${LOCAL_REGION}/local/aws4_request, ` +
    'SignedHeaders=host, Signature=0';
  return {
    ...config,
    cacheMiddleware: true,
    requestHandler: new LoopbackRequestHandler(),
    endpointProvider: () => ({ url }),
    httpAuthSchemes: [
      {
        schemeId: 'aws.auth#sigv4',
        identityProvider: () => async () => config.credentials,
        signer: {
          async sign(request) {
            request.headers.authorization = authorization;
            return request;
          },
        },
      },
    ],
  };
}

/** The middleware stack of an SDK client, as far as {@link leanEmulatorClient} uses it. */
interface RemovableMiddleware {
  middlewareStack: { remove(name: string): boolean };
}

/**
 * Takes out of an emulator client's stack the middleware whose work only AWS reads: the
 * `User-Agent` header, recomputed for every request. Returns the client.
 */
export function leanEmulatorClient<C extends RemovableMiddleware>(client: C): C {
  client.middlewareStack.remove('getUserAgentMiddleware');
  return client;
}
