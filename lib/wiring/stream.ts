/** Dependencies of the events-stream function (daily counters, notifications, reputation breaker). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoReportStore } from '../adapters/dynamodb/report-store.ts';
import { DynamoTenantStore } from '../adapters/dynamodb/tenant-store.ts';
import { SnsNotifier } from '../adapters/sns/sns-notifier.ts';
import { reputationPolicy, required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import type { RecordEventsDeps } from '../use-cases/record-events.ts';
import { createLogger, type WiringOverrides } from './common.ts';

/** Dependencies of the events-stream function. */
export function wireStream(env: Env, overrides: WiringOverrides = {}): RecordEventsDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const reports = new DynamoReportStore(dynamo, names.reports, overrides.clock ? { clock: overrides.clock } : {});
  const notifier = overrides.notifier ?? new SnsNotifier(overrides.sns ?? new SNSClient({}), required(env, ENV.topicArn));
  const log = overrides.log ?? createLogger('stream');
  const breaker = {
    tenants: new DynamoTenantStore(dynamo, names.tenants),
    counters: reports,
    notifier,
    policy: reputationPolicy(env),
    clock: overrides.clock ?? systemClock,
    log,
  };
  return { reports, notifier, log, breaker };
}
