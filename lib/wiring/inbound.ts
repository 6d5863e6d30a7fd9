/** Dependencies of the inbound service: returned mail (bounces, delays, complaints) recorded on its messages. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { S3RawMessageStore } from '../adapters/s3/s3-raw-message-store.ts';
import { DynamoDomainStore } from '../adapters/dynamodb/domain-store.ts';
import { parseInboundMail } from '../adapters/mime/inbound-parser.ts';
import { mailauthVerifier } from '../adapters/mime/mail-authentication.ts';
import { DynamoInboundRouteStore } from '../adapters/dynamodb/inbound-route-store.ts';
import { dnsServers } from '../adapters/dns/node-dns-resolver.ts';
import { blobStore } from './blobs.ts';
import { webhookQueue } from './webhooks.ts';
import { ConfigError, required, returnPathConfig, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { InboundHandlerDeps } from '../handlers/inbound-handler.ts';
import type { HandlerTelemetry } from '../handlers/lambda-handler.ts';
import { systemClock } from '../ports/clock.ts';
import type { InboundDeps } from '../use-cases/receive-inbound.ts';
import { outcomeStores, type WiringOverrides } from './common.ts';
import { returnPathSigner } from './return-path.ts';
import { functionTelemetry, traced } from './telemetry.ts';

/**
 * Dependencies of the inbound service.
 * @throws ConfigError when the return path is not configured (MAILROOM_RETURN_PATH_MX) or its key cannot be read.
 */
export async function wireInbound(env: Env, overrides: WiringOverrides = {}): Promise<InboundDeps & HandlerTelemetry> {
  const { log, metrics, middlewares } = functionTelemetry('inbound', overrides);
  const config = returnPathConfig(env);
  const signer = await returnPathSigner(env, overrides.secrets);
  if (!config || !signer) throw new ConfigError(`the inbound service needs the return path: set ${ENV.returnPathMx}`);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  return {
    ...outcomeStores(env, dynamo, names),
    domains: new DynamoDomainStore(dynamo, names.domains),
    ...(config.bounceDomain && { bounceDomain: config.bounceDomain }),
    signer,
    parse: parseInboundMail,
    // Tenants' inbound routes, delivered as webhooks; SPF, DKIM and DMARC checked here unless the
    // receiving service gave verdicts (SES does).
    routing: {
      routes: new DynamoInboundRouteStore(dynamo, names.webhooks),
      webhookQueue: webhookQueue(env, overrides),
      files: blobStore(env, overrides),
      verify: mailauthVerifier(dnsServers(env)),
      clock: overrides.clock ?? systemClock,
      log,
    },
    clock: overrides.clock ?? systemClock,
    log,
    metrics,
    middlewares,
  };
}

/** Dependencies of the inbound function (AWS): the inbound service and the bucket SES receiving writes to. */
export async function wireInboundFunction(env: Env, overrides: WiringOverrides = {}): Promise<InboundHandlerDeps> {
  const bucket = required(env, ENV.inboundBucket);
  const deps = await wireInbound(env, overrides);
  return { ...deps, bucket, received: new S3RawMessageStore(overrides.s3 ?? traced(new S3Client({})), bucket) };
}
