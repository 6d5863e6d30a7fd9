/**
 * A table whose items moved to a new key layout: until the migration has moved them all and left
 * its marker item, the store reads the old layout too, so nothing stored before an upgrade is
 * missed (a suppression, an unsubscribe); after it, the old layout costs nothing. Each process
 * asks for the marker once a minute until it is there, then once a day.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ExpiringCache } from '../../domain/expiring-cache.ts';
import { systemClock, type Clock } from '../../ports/clock.ts';
import { toItem } from './marshalling.ts';
import { scanPages } from './scan-pages.ts';

/** What a migration did. */
export interface LayoutMigration {
  /** Old items found (and deleted). */
  found: number;
  /** Of those, the entries written in today's layout (the others were outranked or already there). */
  moved: number;
}

/** The key of a migration's marker item. */
export interface LayoutMarker {
  pk: string;
  sk: string;
}

const RECHECK_MS = 60_000;
const GONE_MS = 24 * 3600_000;

/** Whether a table may still hold items of its old layout. */
export class LegacyLayout {
  readonly #cache: ExpiringCache<boolean>;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly marker: LayoutMarker,
    clock: Clock = systemClock,
  ) {
    this.#cache = new ExpiringCache({ clock, maxEntries: 1 });
  }

  /** True until the migration's marker is found. */
  mayExist(): Promise<boolean> {
    return this.#cache.get('', async () => {
      const found = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem({ ...this.marker }) }));
      const may = found.Item === undefined;
      return { value: may, keepMs: may ? RECHECK_MS : GONE_MS };
    });
  }

  /**
   * Deletes the item at `key` (today's layout) and, while the old layout may hold items, the one
   * at `legacyKey` too (marshalled keys): whether either was there.
   */
  async deleteBoth(key: Record<string, AttributeValue>, legacyKey: Record<string, AttributeValue>): Promise<boolean> {
    const remove = async (Key: Record<string, AttributeValue>) =>
      (await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key, ReturnValues: 'ALL_OLD' }))).Attributes !== undefined;
    const [current, legacy] = await Promise.all([remove(key), this.whileItMayExist(() => remove(legacyKey), false)]);
    return current || legacy;
  }

  /** `read()` while the old layout may hold items, else `none`. */
  async whileItMayExist<T>(read: () => Promise<T>, none: T): Promise<T> {
    return (await this.mayExist()) ? read() : none;
  }
}

/** Leaves `marker` in `tableName`: every item of the old layout has moved. */
async function markMigrated(client: DynamoDBClient, tableName: string, marker: LayoutMarker): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: toItem({ ...marker, at: new Date().toISOString() }) }));
}

/**
 * Moves every item of a table's old layout, the ones whose `pk` is a tenant alone (tenant ids
 * hold no `#`; today's partitions and the marker's do): `move` writes an item in today's layout
 * (false when one standing there outranks it), then the old item is deleted; at the end the
 * marker is left. Safe to run again, and while mail flows.
 */
export async function migrateLayout(
  client: DynamoDBClient,
  tableName: string,
  marker: LayoutMarker,
  move: (item: Record<string, unknown>) => Promise<boolean>,
): Promise<LayoutMigration> {
  const result: LayoutMigration = { found: 0, moved: 0 };
  for await (const page of scanPages(client, {
    TableName: tableName,
    FilterExpression: 'NOT contains(pk, :hash)',
    ExpressionAttributeValues: { ':hash': { S: '#' } },
  })) {
    for (const item of page) {
      if (await move(item)) result.moved += 1;
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: toItem({ pk: item.pk, sk: item.sk }) }));
      result.found += 1;
    }
  }
  await markMigrated(client, tableName, marker);
  return result;
}
