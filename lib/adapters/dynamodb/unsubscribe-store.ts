/**
 * UnsubscribeStore on DynamoDB. Items: `pk = tenant`, `sk = "<scope>#<email>"` with scope
 * `list:<list id>` or `marketing`, plus the Unsubscribe fields. List ids and the word
 * `marketing` contain no `#`, so the scope ends at the first one.
 */
import { DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Unsubscribe } from '../../domain/mailing-list.ts';
import type { UnsubscribeStore } from '../../ports/unsubscribe-store.ts';
import { toItem, withoutAttributes } from './marshalling.ts';
import { getInPartition } from './partition-lookup.ts';

const MARKETING = 'marketing';
const STORAGE = ['pk', 'sk'] as const;

/** Sort key of an unsubscribe: `list:<id>#<email>`, or `marketing#<email>` without a list. */
export function unsubscribeSk(email: string, listId?: string): string {
  return `${listId === undefined ? MARKETING : `list:${listId}`}#${email}`;
}

/** The UnsubscribeStore port on the unsubscribes table (strongly consistent reads). */
export class DynamoUnsubscribeStore implements UnsubscribeStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(entry: Unsubscribe): Promise<void> {
    const item = { ...entry, pk: entry.tenant, sk: unsubscribeSk(entry.email, entry.listId) };
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(item) }));
  }

  async delete(tenant: string, email: string, listId?: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: tenant, sk: unsubscribeSk(email, listId) }),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }

  async findMany(tenant: string, listId: string, emails: string[]): Promise<Map<string, Unsubscribe>> {
    const unique = [...new Set(emails)];
    // The list's entries and the marketing-wide ones are two ranges of the tenant's partition.
    const lookups = [unique.map((email) => unsubscribeSk(email, listId)), unique.map((email) => unsubscribeSk(email))];
    const items = (
      await Promise.all(lookups.map((sks) => getInPartition(this.client, this.tableName, tenant, sks, { consistentRead: true })))
    ).flat();
    const found = new Map<string, Unsubscribe>();
    // The wider choice wins: a person who left all marketing mail stays so, whatever list they left too.
    for (const item of items) {
      const entry = withoutAttributes(item, STORAGE) as unknown as Unsubscribe;
      if (!found.has(entry.email) || entry.listId === undefined) found.set(entry.email, entry);
    }
    return found;
  }

  async find(tenant: string, email: string, listId?: string): Promise<Unsubscribe | undefined> {
    if (listId !== undefined) return (await this.findMany(tenant, listId, [email])).get(email);
    const [item] = await getInPartition(this.client, this.tableName, tenant, [unsubscribeSk(email)], { consistentRead: true });
    return item && (withoutAttributes(item, STORAGE) as unknown as Unsubscribe);
  }
}
