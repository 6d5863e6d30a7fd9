/**
 * ContactStore on DynamoDB. Items: `pk = "<tenant>#<list id>"`, `sk = email` (normalised), plus
 * the Contact fields. A list's contacts are one partition, read in address order by a Query;
 * imports and clean-ups go through BatchWriteItem.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Contact, ContactStatus } from '../../domain/mailing-list.ts';
import type { Page } from '../../domain/suppression.ts';
import type { ContactStore } from '../../ports/list-store.ts';
import { batchWriteAll, type BatchWriteOptions } from './batch-write.ts';
import { checkLimit, decodeCursor, encodeCursor } from './cursor.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { getInPartition } from './partition-lookup.ts';

const STORAGE = ['pk', 'sk'] as const;
const KEY = ['pk', 'sk'] as const;

/** Options of DynamoContactStore. */
export interface DynamoContactStoreOptions {
  /** How imports and clean-ups write (batches in flight, 8 by default; retries of unprocessed items). */
  batchWrite?: BatchWriteOptions;
}

/** Partition key of a list's contacts. List ids hold no `#`, so tenants cannot collide. */
export function contactPartition(tenant: string, listId: string): string {
  return `${tenant}#${listId}`;
}

function key(tenant: string, listId: string, email: string) {
  return toItem({ pk: contactPartition(tenant, listId), sk: email });
}

function toStored(contact: Contact) {
  return toItem({ ...contact, pk: contactPartition(contact.tenant, contact.listId), sk: contact.email });
}

function toContact(item: Record<string, unknown>): Contact {
  return withoutAttributes(item, STORAGE) as unknown as Contact;
}

/** The ContactStore port on the contacts table (strongly consistent reads). */
export class DynamoContactStore implements ContactStore {
  private readonly batchWrite: BatchWriteOptions;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoContactStoreOptions = {},
  ) {
    this.batchWrite = { concurrency: 8, ...options.batchWrite };
  }

  async get(tenant: string, listId: string, email: string): Promise<Contact | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key(tenant, listId, email), ConsistentRead: true }),
    );
    return result.Item ? toContact(fromItem(result.Item)) : undefined;
  }

  /** The contacts among `emails`: one Query over their address range when that is cheap (an import into a new list), else BatchGetItem. */
  async getMany(tenant: string, listId: string, emails: string[]): Promise<Map<string, Contact>> {
    const items = await getInPartition(this.client, this.tableName, contactPartition(tenant, listId), emails, { consistentRead: true });
    return new Map(items.map((item) => toContact(item)).map((contact) => [contact.email, contact]));
  }

  async put(contact: Contact): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toStored(contact) }));
  }

  /**
   * Writes 25 contacts per BatchWriteItem, a few batches at once, retrying unprocessed ones.
   * Of two contacts with one key the later is written. Throws (UnprocessedItemsError or the
   * SDK's error) unless every contact was written.
   */
  async putMany(contacts: Contact[]): Promise<void> {
    const latest = new Map<string, Contact>();
    for (const contact of contacts) latest.set(`${contactPartition(contact.tenant, contact.listId)}\n${contact.email}`, contact);
    const requests = [...latest.values()].map((contact) => ({ PutRequest: { Item: toStored(contact) } }));
    await batchWriteAll(this.client, this.tableName, requests, this.batchWrite);
  }

  async delete(tenant: string, listId: string, email: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: key(tenant, listId, email), ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }

  async deleteMany(tenant: string, listId: string, emails: string[]): Promise<void> {
    const requests = [...new Set(emails)].map((email) => ({ DeleteRequest: { Key: key(tenant, listId, email) } }));
    await batchWriteAll(this.client, this.tableName, requests, this.batchWrite);
  }

  async setStatus(tenant: string, listId: string, email: string, status: ContactStatus, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, listId, email),
          UpdateExpression: 'SET #status = :status, #updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: toItem({ ':status': status, ':at': at }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A page in address order; `limit` is 1..1000. A malformed cursor or limit throws ValidationError. */
  async page(tenant: string, listId: string, options: { limit: number; cursor?: string }): Promise<Page<Contact>> {
    checkLimit(options.limit);
    const partition = contactPartition(tenant, listId);
    const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, KEY, { pk: partition });
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: toItem({ ':pk': partition }),
        Limit: options.limit,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    const items = (page.Items ?? []).map((item) => toContact(fromItem(item)));
    const cursor = encodeCursor(page.LastEvaluatedKey);
    return cursor ? { items, cursor } : { items };
  }
}
