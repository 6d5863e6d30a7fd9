/** Dependencies of the SMTP submission service (bin/smtp-server.ts, local mode). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter.ts';
import { DynamoSmtpCredentialStore } from '../adapters/dynamodb/smtp-credential-store.ts';
import { apiRateLimit, required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import type { Log } from '../ports/logger.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { SmtpServiceDeps } from '../smtp/session.ts';
import { SmtpCredentialAuthenticator } from '../use-cases/smtp-credentials.ts';
import { EmfMetrics } from '../adapters/cloudwatch/emf-metrics.ts';
import { LogMetrics } from '../adapters/cloudwatch/log-metrics.ts';
import { createLogger, domainContext, newMessageWriter, queue, sendingGate, stores, type WiringOverrides } from './common.ts';
import { rawMessages } from './raw-messages.ts';
import { wireSendingDomains } from './sending-domains.ts';

/**
 * Dependencies of the SMTP submission service (bin/smtp-server.ts, local mode): the stores
 * and queue of accepting mail, the raw message store, SMTP credentials, the sending gate and
 * the tenant's rate limit (the API's, shared).
 */
export function wireSmtp(env: Env, overrides: WiringOverrides = {}): SmtpServiceDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger('smtp');
  // The container passes EMF metrics it writes out itself (bin/smtp-server.ts); elsewhere they go to the log.
  const metrics = overrides.metrics ?? new LogMetrics(log);
  const raw = rawMessages(env, overrides);
  if (!raw) required(env, ENV.rawMessageBucket);
  // Unless MAILROOM_VERIFIED_DOMAINS is off, senders (MAIL FROM and From) must be of verified domains.
  const { senders } = wireSendingDomains(env, domainContext(env, { ...overrides, dynamo }, log));
  return {
    ...stores(env, dynamo, names),
    newMessages: newMessageWriter(env, dynamo, names),
    ...(senders && { senders }),
    queue: queue(env, overrides.sqs ?? new SQSClient({})),
    rawMessages: raw!,
    authenticator: new SmtpCredentialAuthenticator(new DynamoSmtpCredentialStore(dynamo, names.smtpCredentials)),
    gate: sendingGate(env, dynamo, names, log),
    rateLimiter: new DynamoRateLimiter(dynamo, names.rateLimits, apiRateLimit(env), clock),
    clock,
    newId: () => ulid(),
    log,
    metrics,
  };
}

/**
 * The SMTP container's metrics: EMF lines on standard output (the task's log group, which
 * CloudWatch turns into metrics), written out every `everyMs` and when the service stops.
 */
export function containerMetrics(log: Log, everyMs = 10_000): { metrics: Metrics; stop(): void } {
  const emf = new EmfMetrics(log);
  const timer = setInterval(() => emf.publish(), everyMs);
  timer.unref();
  return {
    metrics: emf,
    stop() {
      clearInterval(timer);
      emf.publish();
    },
  };
}
