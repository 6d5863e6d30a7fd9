/** Dependencies of the export function (CSV reports to S3). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoExportStore } from '../adapters/dynamodb/export-store.ts';
import { DynamoMessageTimeline } from '../adapters/dynamodb/message-timeline.ts';
import { tableNames } from '../config.ts';
import type { Env } from '../env.ts';
import type { ExportHandlerDeps } from '../handlers/export-handler.ts';
import { systemClock } from '../ports/clock.ts';
import { EXPORT_QUEUE } from '../topology.ts';
import { blobStore } from './blobs.ts';
import { stores, type WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';

/** Dependencies of the export function. */
export function wireExport(env: Env, overrides: WiringOverrides = {}): ExportHandlerDeps {
  const { log, middlewares } = functionTelemetry('export', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  const { messages, events } = stores(env, dynamo, names);
  return {
    exports: new DynamoExportStore(dynamo, names.exports),
    timeline: new DynamoMessageTimeline(dynamo, names.messages),
    messages,
    events,
    blobs: blobStore(env, overrides),
    clock: overrides.clock ?? systemClock,
    maxReceiveCount: EXPORT_QUEUE.maxReceiveCount,
    log,
    middlewares,
  };
}
