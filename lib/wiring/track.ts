/** Dependencies of the track function (the public link routes). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { DynamoContactStore } from '../adapters/dynamodb/contact-store.ts';
import { DynamoListStore } from '../adapters/dynamodb/list-store.ts';
import { DynamoUnsubscribeStore } from '../adapters/dynamodb/unsubscribe-store.ts';
import { readLinkKey } from '../adapters/link-key.ts';
import { tableNames } from '../config.ts';
import { createLinkSigner } from '../domain/links.ts';
import type { Env } from '../env.ts';
import type { TrackHandlerDeps } from '../handlers/track-handler.ts';
import { systemClock } from '../ports/clock.ts';
import { stores, type WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';

/** Dependencies of the track function (the public link routes); reads the link-signing key. */
export async function wireTrack(env: Env, overrides: WiringOverrides = {}): Promise<TrackHandlerDeps> {
  const { log, middlewares } = functionTelemetry('track', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  const { messages, events } = stores(env, dynamo, names);
  return {
    signer: createLinkSigner(await readLinkKey(env, overrides.secrets)),
    messages,
    events,
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    contacts: new DynamoContactStore(dynamo, names.contacts),
    lists: new DynamoListStore(dynamo, names.lists),
    clock: overrides.clock ?? systemClock,
    newId: () => ulid(),
    log,
    middlewares,
  };
}
