/** Dependencies of the campaign function (fan-out, list clean-up). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { DynamoCampaignStore } from '../adapters/dynamodb/campaign-store.ts';
import { DynamoContactStore } from '../adapters/dynamodb/contact-store.ts';
import { DynamoListStore } from '../adapters/dynamodb/list-store.ts';
import { DynamoUnsubscribeStore } from '../adapters/dynamodb/unsubscribe-store.ts';
import { readLinkKey } from '../adapters/link-key.ts';
import { SqsCampaignQueue } from '../adapters/sqs/sqs-campaign-queue.ts';
import { required, tableNames } from '../config.ts';
import { createLinkSigner } from '../domain/links.ts';
import { ENV, type Env } from '../env.ts';
import type { CampaignHandlerDeps } from '../handlers/campaign-handler.ts';
import { systemClock } from '../ports/clock.ts';
import { CAMPAIGN_QUEUE, CAMPAIGN_RESERVE_MS, FUNCTIONS } from '../topology.ts';
import { newMessageWriter, queue, sendingGate, stores, type WiringOverrides } from './common.ts';
import { functionTelemetry, traced } from './telemetry.ts';

/** Dependencies of the campaign function (fan-out, list clean-up); reads the link-signing key. */
export async function wireCampaign(env: Env, overrides: WiringOverrides = {}): Promise<CampaignHandlerDeps> {
  const { log, middlewares } = functionTelemetry('campaign', overrides);
  const dynamo = overrides.dynamo ?? traced(new DynamoDBClient({}));
  const names = tableNames(env);
  const sqs = overrides.sqs ?? traced(new SQSClient({}));
  const mailto = env[ENV.unsubscribeMailto]?.trim();
  return {
    ...stores(env, dynamo, names),
    gate: sendingGate(env, dynamo, names, log),
    queue: queue(env, sqs),
    batchWriter: newMessageWriter(env, dynamo, names),
    campaigns: new DynamoCampaignStore(dynamo, names.campaigns),
    lists: new DynamoListStore(dynamo, names.lists),
    contacts: new DynamoContactStore(dynamo, names.contacts),
    unsubscribes: new DynamoUnsubscribeStore(dynamo, names.unsubscribes),
    campaignQueue: new SqsCampaignQueue(sqs, required(env, ENV.campaignQueueUrl)),
    signer: createLinkSigner(await readLinkKey(env, overrides.secrets)),
    ...(mailto && { unsubscribeMailto: mailto }),
    // A page is held for as long as a run can live: no other run may take it while this one might still write.
    pageLeaseMs: FUNCTIONS.campaign.timeoutSeconds * 1000,
    maxReceiveCount: CAMPAIGN_QUEUE.maxReceiveCount,
    reserveMs: CAMPAIGN_RESERVE_MS,
    clock: overrides.clock ?? systemClock,
    newId: () => ulid(),
    log,
    middlewares,
  };
}
