/**
 * SuppressionStore on DynamoDB. Items: `pk = "<tenant>#<address digest>"`, `sk = email`
 * (normalised), `listKey = "<tenant>#<shard>"`, plus the Suppression fields (suppression-keys.ts):
 * a check reads one item per address. Listing in address order merges the tenant's shards of
 * the `byTenant` index (suppression-listing.ts).
 *
 * Until migrate-layouts has moved the entries of the layout before (`pk` = tenant) and left
 * its marker, checks and removals read them too, and the stronger of two entries for an address
 * stands (suppression-precedence.ts): an upgrade never mails an address suppressed before it.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { supersedes } from '../../domain/suppression-precedence.ts';
import type { Page, Suppression } from '../../domain/suppression.ts';
import type { Clock } from '../../ports/clock.ts';
import type { SuppressionStore } from '../../ports/suppression-store.ts';
import type DataLoader from 'dataloader';
import { BATCH_GET_MAX, batchGetAll } from './batch-get.ts';
import { coalescing, type CoalesceWindow } from './coalesce.ts';
import { LegacyLayout } from './legacy-layout.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { entryKey, entryPartition, entryStorage, legacyEntryKey, LIST_KEY, MIGRATED_MARKER } from './suppression-keys.ts';
import { suppressionPage } from './suppression-listing.ts';

/** Options of DynamoSuppressionStore. */
export interface DynamoSuppressionStoreOptions {
  /** Read with strong consistency, so an entry added a moment ago is honoured; true by default. */
  consistentRead?: boolean;
  clock?: Clock;
  /** Lookups (findMany) made within this window of each other, of any tenants, share BatchGetItem calls (coalesce.ts); absent: each lookup makes its own. */
  coalesce?: CoalesceWindow;
}

/** One address of one tenant to look up. */
interface Lookup {
  tenant: string;
  email: string;
}

/** The entry that stands of two for one address. */
function stronger(current: Suppression | undefined, legacy: Suppression | undefined): Suppression | undefined {
  return legacy && supersedes(legacy, current) ? legacy : current;
}

const STORAGE = ['pk', 'sk', LIST_KEY] as const;

function toSuppression(item: Record<string, unknown>): Suppression {
  return withoutAttributes(item, STORAGE) as unknown as Suppression;
}

/** The SuppressionStore port on the suppressions table. */
export class DynamoSuppressionStore implements SuppressionStore {
  private readonly consistentRead: boolean;
  readonly #legacy: LegacyLayout;
  readonly #coalesced: DataLoader<Lookup, Suppression | undefined> | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoSuppressionStoreOptions = {},
  ) {
    this.consistentRead = options.consistentRead ?? true;
    this.#legacy = new LegacyLayout(client, tableName, MIGRATED_MARKER, options.clock);
    this.#coalesced =
      options.coalesce && coalescing((lookups) => this.#lookUp(lookups), { ...options.coalesce, maxBatchSize: BATCH_GET_MAX });
  }

  async get(tenant: string, email: string): Promise<Suppression | undefined> {
    const [current, legacy] = await Promise.all([
      this.#getItem(entryKey(tenant, email)),
      this.#legacy.whileItMayExist(() => this.#getItem(legacyEntryKey(tenant, email)), undefined),
    ]);
    return stronger(current, legacy && { ...legacy, tenant, email });
  }

  /** Looks the addresses up 100 at a time (BatchGetItem's limit), retrying what DynamoDB leaves unprocessed. */
  async findMany(tenant: string, emails: string[]): Promise<Map<string, Suppression>> {
    const lookups = [...new Set(emails)].map((email) => ({ tenant, email }));
    const coalesced = this.#coalesced;
    const entries = coalesced ? await Promise.all(lookups.map((lookup) => coalesced.load(lookup))) : await this.#lookUp(lookups);
    return new Map(entries.flatMap((entry) => (entry ? [[entry.email, entry] as const] : [])));
  }

  /** The entry that stands for each lookup (of any tenants), in order; undefined where there is none. */
  async #lookUp(lookups: readonly Lookup[]): Promise<(Suppression | undefined)[]> {
    const unique = [...new Map(lookups.map((l) => [`${l.tenant}\n${l.email}`, l])).values()];
    const read = (keys: ReturnType<typeof entryKey>[]) =>
      batchGetAll(this.client, this.tableName, keys, { consistentRead: this.consistentRead });
    const [current, legacy] = await Promise.all([
      read(unique.map((l) => entryKey(l.tenant, l.email))),
      this.#legacy.whileItMayExist(() => read(unique.map((l) => legacyEntryKey(l.tenant, l.email))), []),
    ]);
    // Entries by partition and address: the current layout's partition names tenant and address, the old one the tenant.
    const byKey = new Map(current.map((item) => [`${String(item.pk)}\n${String(item.sk)}`, toSuppression(item)]));
    const legacyByKey = new Map(legacy.map((item) => [`${String(item.pk)}\n${String(item.sk)}`, item]));
    return lookups.map(({ tenant, email }) => {
      const entry = byKey.get(`${entryPartition(tenant, email)}\n${email}`);
      const old = legacyByKey.get(`${tenant}\n${email}`);
      return stronger(entry, old && { ...toSuppression(old), tenant, email });
    });
  }

  async put(entry: Suppression): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: toItem({ ...entry, ...entryStorage(entry.tenant, entry.email) }) }),
    );
  }

  delete(tenant: string, email: string): Promise<boolean> {
    return this.#legacy.deleteBoth(entryKey(tenant, email), legacyEntryKey(tenant, email));
  }

  /**
   * A page in address order; `limit` is 1..1000. Read from an index, so eventually consistent.
   * A malformed cursor or limit throws ValidationError.
   */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<Suppression>> {
    return suppressionPage(this.client, this.tableName, tenant, options, toSuppression);
  }

  async #getItem(Key: ReturnType<typeof entryKey>): Promise<Suppression | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key, ConsistentRead: this.consistentRead }));
    return result.Item ? toSuppression(fromItem(result.Item)) : undefined;
  }
}
