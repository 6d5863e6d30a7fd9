/**
 * CampaignStore on DynamoDB. Items: `pk = tenant`, `sk = campaign id` (a ULID, so the
 * partition is in creation order), the CampaignRecord fields, and the fan-out's state as
 * top-level attributes that conditional updates can test and count on:
 *
 * - `cursor`: the contact page to read next (absent before the first page and after the last);
 * - `count_<name>`: the progress counters;
 * - `claimCursor`, `claimOwner`, `claimUntil`: the page a run holds, which run, and until when
 *   (epoch ms). `claimCursor` stays after the run, so a later claim of the same page knows
 *   that a run took it before.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { emptyProgress, type CampaignRecord, type ProgressCounts } from '../../domain/campaign.ts';
import type { Page } from '../../domain/suppression.ts';
import type { CampaignStore, PageClaim } from '../../ports/campaign-store.ts';
import { conditionalUpdate } from './conditional-update.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { partitionPage } from './partition-page.ts';

const COUNTERS = Object.keys(emptyProgress()) as (keyof ProgressCounts)[];
const COUNT_PREFIX = 'count_';
const CLAIM = ['claimCursor', 'claimOwner', 'claimUntil'] as const;
const STORAGE = ['pk', 'sk', 'cursor', ...CLAIM, ...COUNTERS.map((c) => `${COUNT_PREFIX}${c}`)];
/** `claimCursor` of the first page (cursors are base64url, so never this). */
const FIRST_PAGE = '#first';

/** A campaign with this id is stored already. */
export class CampaignExistsError extends Error {
  constructor(
    readonly campaignId: string,
    options?: { cause?: unknown },
  ) {
    super(`campaign ${campaignId} exists already`, options);
    this.name = 'CampaignExistsError';
  }
}

function key(tenant: string, id: string) {
  return toItem({ pk: tenant, sk: id });
}

function toStored(campaign: CampaignRecord): Record<string, unknown> {
  const { progress, ...rest } = campaign;
  const item: Record<string, unknown> = { ...rest, pk: campaign.tenant, sk: campaign.id };
  if (progress.cursor !== undefined) item.cursor = progress.cursor;
  for (const counter of COUNTERS) item[`${COUNT_PREFIX}${counter}`] = progress[counter];
  return item;
}

function toRecord(item: Record<string, unknown>): CampaignRecord {
  const progress = emptyProgress();
  for (const counter of COUNTERS) progress[counter] = Number(item[`${COUNT_PREFIX}${counter}`] ?? 0);
  const record = withoutAttributes(item, STORAGE) as unknown as Omit<CampaignRecord, 'progress'>;
  return { ...record, progress: { ...(typeof item.cursor === 'string' && { cursor: item.cursor }), ...progress } };
}

/** The condition that the campaign is sending and its cursor is `cursor` (absent: at the first page). */
function atCursor(cursor: string | undefined): { expression: string; values: Record<string, unknown> } {
  return cursor === undefined
    ? { expression: '#status = :sending AND attribute_not_exists(#cursor)', values: { ':sending': 'sending' } }
    : { expression: '#status = :sending AND #cursor = :from', values: { ':sending': 'sending', ':from': cursor } };
}

/** The CampaignStore port on the campaigns table (strongly consistent reads). */
export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** @throws CampaignExistsError when the id is taken. */
  async create(campaign: CampaignRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(toStored(campaign)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new CampaignExistsError(campaign.id, { cause: error });
      throw error;
    }
  }

  async get(tenant: string, id: string): Promise<CampaignRecord | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, id), ConsistentRead: true }));
    return result.Item ? toRecord(fromItem(result.Item)) : undefined;
  }

  /** A page, newest first; `limit` is 1..1000. A malformed cursor or limit throws ValidationError. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<CampaignRecord>> {
    return partitionPage(this.client, this.tableName, tenant, { ...options, newestFirst: true }, toRecord);
  }

  async claimPage(tenant: string, id: string, claim: { cursor?: string; owner: string; now: number; until: number }): Promise<PageClaim> {
    const page = claim.cursor ?? FIRST_PAGE;
    const at = atCursor(claim.cursor);
    const old = await this.update({
      Key: key(tenant, id),
      UpdateExpression: 'SET #claimCursor = :page, #claimOwner = :owner, #claimUntil = :until',
      ConditionExpression: `attribute_exists(#pk) AND ${at.expression} AND (attribute_not_exists(#claimCursor) OR #claimCursor <> :page OR #claimOwner = :owner OR #claimUntil < :now)`,
      ExpressionAttributeNames: {
        '#pk': 'pk',
        '#status': 'status',
        '#cursor': 'cursor',
        '#claimCursor': 'claimCursor',
        '#claimOwner': 'claimOwner',
        '#claimUntil': 'claimUntil',
      },
      ExpressionAttributeValues: toItem({ ...at.values, ':page': page, ':owner': claim.owner, ':until': claim.until, ':now': claim.now }),
      ReturnValues: 'ALL_OLD',
    });
    if (old) return old.claimCursor === page ? 'again' : 'first';
    // Refused: another run holds the page, or the campaign is elsewhere.
    const current = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, id), ConsistentRead: true }));
    const item = current.Item ? fromItem(current.Item) : undefined;
    if (!item || item.status !== 'sending' || item.cursor !== claim.cursor) return 'moved';
    return 'busy';
  }

  async releasePage(tenant: string, id: string, owner: string): Promise<void> {
    await this.update({
      Key: key(tenant, id),
      UpdateExpression: 'SET #claimUntil = :zero',
      ConditionExpression: '#claimOwner = :owner',
      ExpressionAttributeNames: { '#claimUntil': 'claimUntil', '#claimOwner': 'claimOwner' },
      ExpressionAttributeValues: toItem({ ':zero': 0, ':owner': owner }),
    });
  }

  async advance(
    tenant: string,
    id: string,
    step: { from?: string; to?: string; add: ProgressCounts; at: string; claimNext?: { owner: string; until: number } },
  ): Promise<boolean> {
    const at = atCursor(step.from);
    const names: Record<string, string> = { '#status': 'status', '#cursor': 'cursor', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ...at.values, ':at': step.at };
    const set = ['#updatedAt = :at'];
    const add: string[] = [];
    for (const counter of COUNTERS) {
      names[`#${counter}`] = `${COUNT_PREFIX}${counter}`;
      values[`:${counter}`] = step.add[counter];
      add.push(`#${counter} :${counter}`);
    }
    let remove = '';
    if (step.to !== undefined) {
      set.push('#cursor = :to');
      values[':to'] = step.to;
      if (step.claimNext) {
        set.push('#claimCursor = :to', '#claimOwner = :owner', '#claimUntil = :until');
        Object.assign(names, { '#claimCursor': 'claimCursor', '#claimOwner': 'claimOwner', '#claimUntil': 'claimUntil' });
        Object.assign(values, { ':owner': step.claimNext.owner, ':until': step.claimNext.until });
      }
    } else {
      // The last page: the fan-out is done.
      set.push('#status = :sent', '#finishedAt = :at');
      names['#finishedAt'] = 'finishedAt';
      values[':sent'] = 'sent';
      remove = ' REMOVE #cursor';
    }
    const result = await this.update({
      Key: key(tenant, id),
      UpdateExpression: `SET ${set.join(', ')} ADD ${add.join(', ')}${remove}`,
      ConditionExpression: at.expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem(values),
      ReturnValues: 'UPDATED_NEW',
    });
    return result !== undefined;
  }

  async fail(tenant: string, id: string, error: string, at: string): Promise<boolean> {
    const result = await this.update({
      Key: key(tenant, id),
      UpdateExpression: 'SET #status = :failed, #error = :error, #finishedAt = :at, #updatedAt = :at',
      ConditionExpression: '#status = :sending',
      ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#finishedAt': 'finishedAt', '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: toItem({ ':failed': 'failed', ':sending': 'sending', ':error': error.slice(0, 1000), ':at': at }),
      ReturnValues: 'UPDATED_NEW',
    });
    return result !== undefined;
  }

  private update(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<Record<string, unknown> | undefined> {
    return conditionalUpdate(this.client, { TableName: this.tableName, ...input });
  }
}
