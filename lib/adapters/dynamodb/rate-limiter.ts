/**
 * RateLimiter on DynamoDB: a fixed one-second window per tenant, counted in each instance and
 * settled in shards. The tenant's allowance for a second is split into shards (one item each,
 * `pk = "<tenant>#<epoch second>#<shard>"`, whose parts add up to the limit); an instance
 * reserves a block of one shard's part with one conditional write (the count may not pass the
 * part), then lets requests through from its block without asking DynamoDB again. A block is a
 * quarter of the instance's own requests for the tenant in the last second (at least what the
 * request needs, plus what is queued behind it), so a busy instance writes about four times a
 * second per tenant, whatever the rate. The items expire after a minute (TTL).
 *
 * The limit is never passed: every request let through was reserved, and the reservations of
 * all instances stay within the shards' parts. A block an instance holds and does not use in
 * its second is lost, so a tenant spread over many instances may be refused a little before
 * its limit (by at most the unused blocks, a quarter of a second of each instance's traffic).
 */
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { admits, ceilingFor, partOf, roomIn, shardCount } from '../../domain/allowance.ts';
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';
import { fromItem, toItem, type Item } from './marshalling.ts';

const KEEP_SECONDS = 60;
/** Shards of a tenant's second at most, one per RATE_PER_SHARD of its limit: 8 from a limit of 2,000 a second. */
export const RATE_LIMIT_MAX_SHARDS = 8;
const RATE_PER_SHARD = 250;
/** A block is this share of the instance's requests for the tenant in the last second. */
const BLOCK_SHARE = 0.25;
/** Reservation writes one request makes at most. */
const WRITES_PER_TAKE = 3;
/** Tenants whose state an instance keeps before it forgets those idle since the last second. */
const KEEP_TENANTS = 10_000;

interface TenantState {
  second: number;
  /** Requests reserved and not yet let through this second. */
  held: number;
  /** Requests asked for this second, and in the one before. */
  asked: number;
  askedBefore: number;
  /** Requests waiting for this tenant, the one being served included. */
  queued: number;
  refusals: number;
  /** The count last seen on each shard this second (lower bounds, as counts only rise). */
  seen: Map<number, number>;
  turn: Promise<unknown>;
}

export class DynamoRateLimiter implements RateLimiter {
  private readonly shards: number;
  private readonly tenants = new Map<string, TenantState>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    readonly limitPerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.shards = shardCount(limitPerSecond, RATE_PER_SHARD, RATE_LIMIT_MAX_SHARDS);
  }

  /** Requests for one tenant are served one at a time in each instance, so that one reservation serves those waiting. */
  take(tenant: string, cost = 1): Promise<number> {
    const state = this.stateOf(tenant);
    state.queued += cost;
    const turn = state.turn
      .then(() => this.takeNow(tenant, state, cost))
      .finally(() => {
        state.queued -= cost;
      });
    state.turn = turn.catch(() => undefined);
    return turn;
  }

  private async takeNow(tenant: string, state: TenantState, cost: number): Promise<number> {
    const second = Math.floor(this.clock.now().getTime() / 1000);
    roll(state, second);
    state.asked += cost;
    if (state.held >= cost) {
      state.held -= cost;
      return 0;
    }
    const need = cost - state.held;
    const perSecond = Math.max(state.askedBefore, state.asked - cost);
    const want = Math.max(need, Math.ceil(perSecond * BLOCK_SHARE) + state.queued - cost);
    for (let write = 0; write < WRITES_PER_TAKE; write++) {
      const shard = this.pickShard(state, need);
      if (shard === undefined) break;
      const cap = partOf(this.limitPerSecond, this.shards, shard);
      const block = Math.max(need, Math.min(want, roomIn(state.seen.get(shard) ?? 0, cap)));
      if (await this.reserve(state, `${tenant}#${second}#${shard}`, shard, block, cap)) {
        state.held += block - cost;
        return 0;
      }
      state.refusals++;
    }
    // Refused until the next window: the wait is whole seconds.
    return 1;
  }

  /** A shard seen with room for `need`, else (while refusals are few) one not seen yet this second; at random. */
  private pickShard(state: TenantState, need: number): number | undefined {
    const roomy: number[] = [];
    const unseen: number[] = [];
    for (let shard = 0; shard < this.shards; shard++) {
      const count = state.seen.get(shard);
      if (count === undefined) unseen.push(shard);
      else if (admits(count, need, partOf(this.limitPerSecond, this.shards, shard))) roomy.push(shard);
    }
    const from = roomy.length > 0 ? roomy : state.refusals < 2 * this.shards ? unseen : [];
    return from.length > 0 ? from[Math.floor(Math.random() * from.length)] : undefined;
  }

  private async reserve(state: TenantState, pk: string, shard: number, block: number, cap: number): Promise<boolean> {
    try {
      const answer = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toItem({ pk }),
          UpdateExpression: 'ADD #n :block SET #e = if_not_exists(#e, :expires)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n <= :ceiling',
          ExpressionAttributeNames: { '#n': 'n', '#e': 'expiresAt' },
          ExpressionAttributeValues: toItem({
            ':block': block,
            ':ceiling': ceilingFor(cap, block),
            ':expires': state.second + KEEP_SECONDS,
          }),
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      state.seen.set(shard, countOf(answer.Attributes));
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) && (error as { name?: string }).name !== 'ConditionalCheckFailedException')
        throw error;
      state.seen.set(shard, countOf((error as { Item?: Item }).Item));
      return false;
    }
  }

  private stateOf(tenant: string): TenantState {
    let state = this.tenants.get(tenant);
    if (!state) {
      if (this.tenants.size >= KEEP_TENANTS) this.forgetIdle();
      state = { second: -1, held: 0, asked: 0, askedBefore: 0, queued: 0, refusals: 0, seen: new Map(), turn: Promise.resolve() };
      this.tenants.set(tenant, state);
    }
    return state;
  }

  private forgetIdle(): void {
    const second = Math.floor(this.clock.now().getTime() / 1000);
    for (const [tenant, state] of this.tenants) if (state.queued === 0 && state.second < second - 1) this.tenants.delete(tenant);
  }
}

/** A new second: what was reserved in the last one is gone, and so is what was seen of its shards. */
function roll(state: TenantState, second: number): void {
  if (state.second === second) return;
  state.askedBefore = second === state.second + 1 ? state.asked : 0;
  state.asked = 0;
  state.held = 0;
  state.refusals = 0;
  state.seen.clear();
  state.second = second;
}

function countOf(item: Item | undefined): number {
  return Number((item ? fromItem(item) : {}).n ?? 0);
}
