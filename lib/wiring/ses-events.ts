/** Dependencies of the SES events function (SES → SNS → SQS into events, statuses, suppressions). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSoftBounceStore } from '../adapters/dynamodb/soft-bounce-store.ts';
import { softBouncePolicy, tableNames } from '../config.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import type { RecordSesEventDeps } from '../use-cases/record-ses-event.ts';
import { createLogger, stores, type WiringOverrides } from './common.ts';

/** Dependencies of the SES events function. */
export function wireSesEvents(env: Env, overrides: WiringOverrides = {}): RecordSesEventDeps {
  const dynamo = overrides.dynamo ?? new DynamoDBClient({});
  const names = tableNames(env);
  const { messages, events, suppressions } = stores(env, dynamo, names);
  return {
    messages,
    events,
    suppressions,
    softBounces: new DynamoSoftBounceStore(dynamo, names.softBounces),
    softBouncePolicy: softBouncePolicy(env),
    clock: overrides.clock ?? systemClock,
    log: overrides.log ?? createLogger('ses-events'),
  };
}
