/** Dependencies of the events-stream function (daily counters, notifications, reputation breaker). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoReportStore } from '../adapters/dynamodb/report-store.ts';
import { DynamoTenantStore } from '../adapters/dynamodb/tenant-store.ts';
import { SnsNotifier } from '../adapters/sns/sns-notifier.ts';
import { reputationPolicy, required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import type { StreamHandlerDeps } from '../handlers/stream-handler.ts';
import type { WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';

/** Dependencies of the events-stream function. */
export function wireStream(env: Env, overrides: WiringOverrides = {}): StreamHandlerDeps {
  const { log, metrics, middlewares } = functionTelemetry('stream', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  const reports = new DynamoReportStore(dynamo, names.reports, overrides.clock ? { clock: overrides.clock } : {});
  const notifier = overrides.notifier ?? new SnsNotifier(overrides.sns ?? traced(new SNSClient({})), required(env, ENV.topicArn));
  const breaker = {
    tenants: new DynamoTenantStore(dynamo, names.tenants),
    counters: reports,
    notifier,
    policy: reputationPolicy(env),
    clock: overrides.clock ?? systemClock,
    log,
    metrics,
  };
  return { reports, notifier, log, breaker, metrics, middlewares };
}
