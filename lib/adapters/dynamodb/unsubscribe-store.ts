/**
 * UnsubscribeStore on DynamoDB. Items: `pk = "<tenant>#<address digest>"`, `sk` = the scope,
 * `list:<list id>` or `marketing`, plus the Unsubscribe fields: the campaign fan-out's checks of
 * each contact read that contact's partition, not one per tenant.
 *
 * Until migrate-layouts has moved the entries of the layout before (`pk` = tenant, `sk` =
 * `<scope>#<email>`) and left its marker, lookups and removals read that layout too: an upgrade
 * never mails a person who had unsubscribed before it.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Unsubscribe } from '../../domain/mailing-list.ts';
import type { Clock } from '../../ports/clock.ts';
import type { UnsubscribeStore } from '../../ports/unsubscribe-store.ts';
import { addressPartition } from './address-partition.ts';
import { batchGetAll } from './batch-get.ts';
import { LegacyLayout, type LayoutMarker } from './legacy-layout.ts';
import { toItem, withoutAttributes } from './marshalling.ts';
import { getInPartition } from './partition-lookup.ts';

const MARKETING = 'marketing';
const STORAGE = ['pk', 'sk'] as const;

/** The item the migration leaves once no entry of the layout before is left. */
export const UNSUBSCRIBES_MIGRATED: LayoutMarker = { pk: 'layout#unsubscribes', sk: 'migrated' };

/** The scope of an unsubscribe: `list:<id>`, or `marketing` without a list. */
function scopeOf(listId?: string): string {
  return listId === undefined ? MARKETING : `list:${listId}`;
}

/** The key of `tenant`'s unsubscribe of `email` from a list (or from all marketing mail). */
export function unsubscribeKey(tenant: string, email: string, listId?: string): { pk: string; sk: string } {
  return { pk: addressPartition(tenant, email), sk: scopeOf(listId) };
}

/** Sort key of an unsubscribe in the layout before, in the tenant's partition: `<scope>#<email>`. */
export function legacyUnsubscribeSk(email: string, listId?: string): string {
  return `${scopeOf(listId)}#${email}`;
}

/** The entries that keep each address from a list, the wider one (all marketing mail) first. */
function widest(entries: Unsubscribe[]): Map<string, Unsubscribe> {
  const found = new Map<string, Unsubscribe>();
  for (const entry of entries) if (!found.has(entry.email) || entry.listId === undefined) found.set(entry.email, entry);
  return found;
}

const toUnsubscribe = (item: Record<string, unknown>) => withoutAttributes(item, STORAGE) as unknown as Unsubscribe;

/** The UnsubscribeStore port on the unsubscribes table (strongly consistent reads). */
export class DynamoUnsubscribeStore implements UnsubscribeStore {
  readonly #legacy: LegacyLayout;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: { clock?: Clock } = {},
  ) {
    this.#legacy = new LegacyLayout(client, tableName, UNSUBSCRIBES_MIGRATED, options.clock);
  }

  async put(entry: Unsubscribe): Promise<void> {
    const item = { ...entry, ...unsubscribeKey(entry.tenant, entry.email, entry.listId) };
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(item) }));
  }

  delete(tenant: string, email: string, listId?: string): Promise<boolean> {
    return this.#legacy.deleteBoth(
      toItem(unsubscribeKey(tenant, email, listId)),
      toItem({ pk: tenant, sk: legacyUnsubscribeSk(email, listId) }),
    );
  }

  async findMany(tenant: string, listId: string, emails: string[]): Promise<Map<string, Unsubscribe>> {
    return widest(await this.#lookUp(tenant, [...new Set(emails)], [listId, undefined]));
  }

  async find(tenant: string, email: string, listId?: string): Promise<Unsubscribe | undefined> {
    const scopes = listId === undefined ? [undefined] : [listId, undefined];
    return widest(await this.#lookUp(tenant, [email], scopes)).get(email);
  }

  /** The entries of `emails` in `scopes`, in both layouts while the one before may hold some. */
  async #lookUp(tenant: string, emails: string[], scopes: (string | undefined)[]): Promise<Unsubscribe[]> {
    const keys = scopes.flatMap((scope) => emails.map((email) => toItem(unsubscribeKey(tenant, email, scope))));
    const [current, legacy] = await Promise.all([
      batchGetAll(this.client, this.tableName, keys, { consistentRead: true }),
      this.#legacy.whileItMayExist(
        async () =>
          // The layout before keeps each scope's entries as one range of the tenant's partition.
          (
            await Promise.all(
              scopes.map((scope) =>
                getInPartition(
                  this.client,
                  this.tableName,
                  tenant,
                  emails.map((email) => legacyUnsubscribeSk(email, scope)),
                  { consistentRead: true },
                ),
              ),
            )
          ).flat(),
        [],
      ),
    ]);
    return [...current, ...legacy].map(toUnsubscribe);
  }
}
