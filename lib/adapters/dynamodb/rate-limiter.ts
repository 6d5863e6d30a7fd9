/**
 * RateLimiter and Pacer on DynamoDB. The rate limit: a fixed one-second window per tenant. Each request adds its cost
 * to the item `pk = "<tenant>#<epoch second>"` with a condition that the count stays within
 * the limit, so every API instance shares one count; the items expire after a minute (TTL).
 *
 * One write per request. A window's item takes the writes of one tenant in that second, so a
 * limit up to about 1,000 requests per second per tenant stays within DynamoDB's per-item
 * throughput.
 */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { Pacer } from '../../ports/pacer.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';
import { toItem } from './marshalling.ts';

const KEEP_SECONDS = 60;

export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    readonly limitPerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {}

  async take(tenant: string, cost = 1): Promise<number> {
    const waitMs = await takeFromWindow(this.client, this.tableName, tenant, cost, this.limitPerSecond, this.clock);
    return waitMs === 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
  }
}

/**
 * Adds `cost` to the count of `key` in the current window of `windowMs` unless that would
 * pass `limit` (a single cost above the limit still passes in an empty window). Returns 0, or
 * the ms until the next window when refused.
 */
async function takeFromWindow(
  client: DynamoDBClient,
  tableName: string,
  key: string,
  cost: number,
  limit: number,
  clock: Clock,
  windowMs = 1000,
): Promise<number> {
  const now = clock.now().getTime();
  const window = Math.floor(now / windowMs);
  const ceiling = Math.max(0, limit - cost);
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: toItem({ pk: windowMs === 1000 ? `${key}#${window}` : `${key}#${windowMs}#${window}` }),
        UpdateExpression: 'ADD #n :cost SET #e = if_not_exists(#e, :expires)',
        ConditionExpression: 'attribute_not_exists(#n) OR #n <= :ceiling',
        ExpressionAttributeNames: { '#n': 'n', '#e': 'expiresAt' },
        ExpressionAttributeValues: toItem({ ':cost': cost, ':ceiling': ceiling, ':expires': Math.floor(now / 1000) + KEEP_SECONDS }),
      }),
    );
    return 0;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    return Math.max(1, (window + 1) * windowMs - now);
  }
}

/** Every BULK_GAP-th slot of the relay's time is kept for transactional mail: campaigns get the other 80%. */
export const BULK_GAP = 5;
/** Shortest pacing slot, in ms. */
const MIN_SLOT_MS = 50;

/**
 * Pacer on DynamoDB. The relay's second is cut into short slots (1/rate of a second, at
 * least 50 ms) that each take their share of the rate, so sends are spread evenly instead of
 * bursting at the start of each second; one count per slot (`pk = "relay#<ms>#<slot>"`) in
 * the rate-limits table. Campaign mail may not use every BULK_GAP-th slot, so transactional
 * mail always finds room however large a campaign's backlog.
 */
export class DynamoPacer implements Pacer {
  private readonly slotMs: number;
  private readonly perSlot: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    readonly ratePerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.slotMs = Math.max(MIN_SLOT_MS, Math.floor(1000 / ratePerSecond));
    this.perSlot = Math.max(1, Math.floor((ratePerSecond * this.slotMs) / 1000));
  }

  /**
   * One waiter per process and lane asks DynamoDB at a time, in arrival order; the others
   * queue here. Without that, every waiting worker would ask every slot (each refusal is a
   * write) and slots would go unused between their retries. Each lane queues apart, so
   * transactional mail never waits behind campaign mail.
   */
  acquire(lane: 'transactional' | 'bulk', cost: number, maxWaitMs: number): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    const turn = this.queues[lane].then(() => this.waitForRoom(lane, cost, deadline));
    this.queues[lane] = turn.catch(() => undefined);
    return turn;
  }

  private readonly queues: Record<'transactional' | 'bulk', Promise<unknown>> = {
    transactional: Promise.resolve(),
    bulk: Promise.resolve(),
  };

  private async waitForRoom(lane: 'transactional' | 'bulk', cost: number, deadline: number): Promise<boolean> {
    for (;;) {
      const wait = await this.take(lane, cost);
      if (wait === 0) {
        await this.space(cost);
        return true;
      }
      if (Date.now() + wait > deadline) return false;
      await sleep(wait);
    }
  }

  /** One try for the current slot: 0 when taken, else the ms until the next slot. */
  private async take(lane: 'transactional' | 'bulk', cost: number): Promise<number> {
    const now = this.clock.now().getTime();
    const slot = Math.floor(now / this.slotMs);
    if (lane === 'bulk' && slot % BULK_GAP === BULK_GAP - 1) return (slot + 1) * this.slotMs - now;
    return takeFromWindow(this.client, this.tableName, 'relay', cost, this.perSlot, this.clock, this.slotMs);
  }

  /**
   * Keeps this process's own sends at least a slot's share apart. Answers that arrive
   * together after a pause (a busy event loop, a slow network) would otherwise leave for the
   * relay in one burst, although each took its own slot.
   */
  private async space(cost: number): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSendAt);
    this.nextSendAt = at + (this.slotMs * cost) / this.perSlot;
    if (at > now) await sleep(at - now);
  }

  private nextSendAt = 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
