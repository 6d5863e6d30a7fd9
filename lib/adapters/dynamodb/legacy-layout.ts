/**
 * A table whose items moved to a new key layout: until the migration has moved them all and left
 * its marker item, the store reads the old layout too, so nothing stored before an upgrade is
 * missed (a suppression, an unsubscribe); after it, the old layout costs nothing. Each process
 * asks for the marker once a minute until it is there, then once a day.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ExpiringCache } from '../../domain/expiring-cache.ts';
import { systemClock, type Clock } from '../../ports/clock.ts';
import { toItem } from './marshalling.ts';

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

  /** `read()` while the old layout may hold items, else `none`. */
  async whileItMayExist<T>(read: () => Promise<T>, none: T): Promise<T> {
    return (await this.mayExist()) ? read() : none;
  }
}

/** Leaves `marker` in `tableName`: every item of the old layout has moved. */
export async function markMigrated(client: DynamoDBClient, tableName: string, marker: LayoutMarker): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: toItem({ ...marker, at: new Date().toISOString() }) }));
}
