/** Dependencies of the delivery function: the relay chosen by configuration, per-tenant relays, pacing. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { JobsInFlight } from '../handlers/jobs-in-flight.ts';
import { DynamoPacer } from '../adapters/dynamodb/pacer.ts';
import { DynamoUnsubscribeStore } from '../adapters/dynamodb/unsubscribe-store.ts';
import { SesRelay } from '../adapters/ses/ses-relay.ts';
import type { SmtpRelay } from '../adapters/smtp/smtp-relay.ts';
import { readSmtpUrlSecret } from '../adapters/smtp/smtp-url-secret.ts';
import { maxReceiveCount, relayConfig, relayMaxRate, retryPolicy, tableNames } from '../config.ts';
import type { Env } from '../env.ts';
import type { DeliverHandlerDeps } from '../handlers/deliver-handler.ts';
import { systemClock } from '../ports/clock.ts';
import type { Log } from '../ports/logger.ts';
import type { MailRelay } from '../ports/mail-relay.ts';
import type { Pacer } from '../ports/pacer.ts';
import { DELIVERY_LEASE_MS, SQS_MAX_DELAY_SECONDS } from '../topology.ts';
import { createLogger, domainContext, outcomeStores, queue, sendingGate, tenantContext, type WiringOverrides } from './common.ts';
import { attachmentStore } from './attachments.ts';
import { rawMessages } from './raw-messages.ts';
import { ByteBudget } from '../use-cases/byte-budget.ts';
import { withDkimSigning } from './sending-domains.ts';
import { functionTelemetry, traced } from './telemetry.ts';
import { withTenantRelays } from './tenant-relays.ts';
import { returnPathWrapper } from './return-path.ts';

/** The SES account's MaxSendRate in whole recipients per second; undefined when SES does not say or cannot be asked. */
async function sesMaxSendRate(ses: SESv2Client, log: Log): Promise<number | undefined> {
  try {
    const account = await ses.send(new GetAccountCommand({}));
    const rate = Math.floor(account.SendQuota?.MaxSendRate ?? 0);
    return rate > 0 ? rate : undefined;
  } catch (error) {
    log.warn('SES send quota unavailable; delivery is not paced', { error: String(error) });
    return undefined;
  }
}

/**
 * A pacer whose rate is learnt when it is first needed: `rate` is asked once, on the first
 * `acquire` (so a container starts without a network call), and its answer kept for the
 * container's life. Without a rate nothing is paced, as with no pacer at all. Until the rate
 * is known `ratePerSecond` is 0.
 */
export function lazyPacer(rate: () => Promise<number | undefined>, pacerFor: (rate: number) => Pacer): Pacer {
  let pacer: Promise<Pacer | undefined> | undefined;
  let known: Pacer | undefined;
  return {
    get ratePerSecond() {
      return known?.ratePerSecond ?? 0;
    },
    async acquire(lane, cost, maxWaitMs) {
      const started = Date.now();
      pacer ??= rate().then((value) => (known = value !== undefined && value > 0 ? pacerFor(value) : undefined));
      const ready = await pacer;
      return ready ? ready.acquire(lane, cost, Math.max(0, maxWaitMs - (Date.now() - started))) : true;
    },
  };
}

/**
 * The pacer of the relay's rate: the configured rate, or for SES the account's MaxSendRate
 * (asked on the first batch, once per container); undefined when delivery is not paced.
 */
function relayPacer(env: Env, overrides: WiringOverrides, log: Log, pacerFor: (rate: number) => Pacer): Pacer | undefined {
  const configured = relayMaxRate(env);
  if (configured !== undefined) return configured > 0 ? pacerFor(configured) : undefined;
  if (relayConfig(env).kind !== 'ses') return undefined;
  return lazyPacer(() => sesMaxSendRate(overrides.ses ?? traced(new SESv2Client({})), log), pacerFor);
}

/**
 * The SMTP relay class, imported when an SMTP relay is first made: a deployment that relays
 * through SES loads nodemailer's SMTP transport and pool only for a tenant with its own SMTP relay.
 */
async function smtpRelayClass(): Promise<typeof SmtpRelay> {
  return (await import('../adapters/smtp/smtp-relay.ts')).SmtpRelay;
}

/**
 * The relay chosen by configuration: SES, an SMTP URL, or an SMTP URL kept in Secrets Manager.
 * SMTP relays DKIM-sign with the keys mailroom made for sending domains; SES signs itself (Easy DKIM).
 */
export async function createRelay(env: Env, overrides: WiringOverrides = {}): Promise<MailRelay> {
  if (overrides.relay) return overrides.relay;
  const relay = relayConfig(env);
  const signed = (smtp: MailRelay) => withDkimSigning(env, smtp, domainContext(env, overrides, overrides.log ?? createLogger('deliver')));
  // Signed first, so that every recipient's copy (each with its own return path) carries the same signature.
  const smtp = async (url: string) => signed((await returnPathWrapper(env, overrides.secrets))(new (await smtpRelayClass())(url)));
  switch (relay.kind) {
    case 'ses':
      return new SesRelay(overrides.ses ?? traced(new SESv2Client({})), { configurationSetName: relay.configurationSet });
    case 'smtp':
      return smtp(relay.url);
    case 'smtp-secret':
      // Read once, while the function starts: outside any invocation, so outside any trace.
      return smtp(await readSmtpUrlSecret(overrides.secrets ?? new SecretsManagerClient({}), relay.secretArn));
  }
}

/**
 * Bytes of attachments a deliver instance holds at once: a message is in memory several times
 * over while it is composed, signed and sent (its files, their base64, the signed copy, SES's
 * request), so 32 MiB of files take well over 150 MB of the function's 512.
 */
const ATTACHMENT_MEMORY_BYTES = 32 * 1024 * 1024;

/**
 * How long a job's suppression check and event write wait for those of the other jobs running,
 * to share one BatchGetItem and one BatchWriteItem with them (a batch's jobs claim side by side,
 * and reach these moments apart): a few milliseconds of a job's time for up to 2 requests less
 * each. A job running alone does not wait.
 */
export const DELIVER_COALESCE_MS = 5;

/** Dependencies of the delivery function. */
export async function wireDeliver(env: Env, overrides: WiringOverrides = {}): Promise<DeliverHandlerDeps> {
  const { log, metrics, middlewares } = functionTelemetry('deliver', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  const clock = overrides.clock ?? systemClock;
  const pacer = relayPacer(env, overrides, log, (rate) => new DynamoPacer(dynamo, names.rateLimits, rate, clock));
  const raw = rawMessages(env, overrides);
  const attachments = attachmentStore(env, overrides);
  const returnPath = await returnPathWrapper(env, overrides.secrets);
  const jobsInFlight = new JobsInFlight();
  return {
    ...outcomeStores(env, dynamo, names, { coalesce: { windowMs: DELIVER_COALESCE_MS, alone: () => jobsInFlight.alone } }),
    jobsInFlight,
    queue: queue(env, overrides.sqs ?? traced(new SQSClient({}))),
    // Each tenant's own relay (SMTP URL secret, SES configuration set, dedicated IP pool), else the deployment's.
    relay: withTenantRelays(env, await createRelay(env, { ...overrides, dynamo, log }), {
      ...tenantContext(overrides, dynamo, names, log),
      ...(overrides.ses && { ses: overrides.ses }),
      smtpRelayFor: async (url) =>
        withDkimSigning(env, returnPath(new (await smtpRelayClass())(url, { log })), domainContext(env, { ...overrides, dynamo }, log)),
    }),
    clock: overrides.clock ?? systemClock,
    retry: retryPolicy(env),
    leaseMs: DELIVERY_LEASE_MS,
    maxDelaySeconds: SQS_MAX_DELAY_SECONDS,
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    ...(pacer && { pacer }),
    gate: sendingGate(env, dynamo, names, log),
    ...(raw && { rawMessages: raw }),
    ...(attachments && { attachments, attachmentMemory: new ByteBudget(ATTACHMENT_MEMORY_BYTES) }),
    maxReceiveCount: maxReceiveCount(env),
    log,
    metrics,
    middlewares,
  };
}
