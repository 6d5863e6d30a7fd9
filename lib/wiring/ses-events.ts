/** Dependencies of the SES events function (SES → SNS → SQS into events, statuses, suppressions). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableNames } from '../config.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import type { SesEventsHandlerDeps } from '../handlers/ses-events-handler.ts';
import { outcomeStores, type WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';

/** Dependencies of the SES events function. */
export function wireSesEvents(env: Env, overrides: WiringOverrides = {}): SesEventsHandlerDeps {
  const { log, metrics, middlewares } = functionTelemetry('ses-events', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  return {
    ...outcomeStores(env, dynamo, names),
    clock: overrides.clock ?? systemClock,
    log,
    metrics,
    middlewares,
  };
}
