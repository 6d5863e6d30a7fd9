/** Dependencies of the import function (contact imports too large for the API). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoContactImportStore } from '../adapters/dynamodb/contact-import-store.ts';
import { DynamoContactStore } from '../adapters/dynamodb/contact-store.ts';
import { DynamoListStore } from '../adapters/dynamodb/list-store.ts';
import { DynamoUnsubscribeStore } from '../adapters/dynamodb/unsubscribe-store.ts';
import { SqsImportQueue } from '../adapters/sqs/sqs-import-queue.ts';
import { required, tableNames } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { ImportHandlerDeps } from '../handlers/import-handler.ts';
import { systemClock } from '../ports/clock.ts';
import { IMPORT_QUEUE, IMPORT_RESERVE_MS } from '../topology.ts';
import type { WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';
import { importBodyStore } from './import-bodies.ts';

/** Dependencies of the import function. */
export function wireImport(env: Env, overrides: WiringOverrides = {}): ImportHandlerDeps {
  const { log, middlewares } = functionTelemetry('import', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  return {
    lists: new DynamoListStore(dynamo, names.lists),
    contacts: new DynamoContactStore(dynamo, names.contacts),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    imports: new DynamoContactImportStore(dynamo, names.imports),
    importBodies: importBodyStore(env, overrides),
    importQueue: new SqsImportQueue(overrides.sqs ?? traced(new SQSClient({})), required(env, ENV.importQueueUrl)),
    maxReceiveCount: IMPORT_QUEUE.maxReceiveCount,
    reserveMs: IMPORT_RESERVE_MS,
    clock: overrides.clock ?? systemClock,
    log,
    middlewares,
  };
}
