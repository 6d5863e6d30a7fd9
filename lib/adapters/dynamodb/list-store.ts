/**
 * ListStore on DynamoDB. Items: `pk = tenant`, `sk = list id` (a ULID, so the partition is in
 * creation order), plus the MailingList fields.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { MailingList } from '../../domain/mailing-list.ts';
import type { Page } from '../../domain/suppression.ts';
import type { ListStore } from '../../ports/list-store.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { partitionPage } from './partition-page.ts';

const STORAGE = ['pk', 'sk'] as const;

/** A list with this id is stored already. */
export class ListExistsError extends Error {
  constructor(
    readonly listId: string,
    options?: { cause?: unknown },
  ) {
    super(`list ${listId} exists already`, options);
    this.name = 'ListExistsError';
  }
}

function key(tenant: string, id: string) {
  return toItem({ pk: tenant, sk: id });
}

function toList(item: Record<string, unknown>): MailingList {
  return withoutAttributes(item, STORAGE) as unknown as MailingList;
}

/** The ListStore port on the lists table (strongly consistent reads). */
export class DynamoListStore implements ListStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** @throws ListExistsError when the id is taken. */
  async create(list: MailingList): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ ...list, pk: list.tenant, sk: list.id }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ListExistsError(list.id, { cause: error });
      throw error;
    }
  }

  async get(tenant: string, id: string): Promise<MailingList | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, id), ConsistentRead: true }));
    return result.Item ? toList(fromItem(result.Item)) : undefined;
  }

  /** A page in id order; `limit` is 1..1000. A malformed cursor or limit throws ValidationError. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<MailingList>> {
    return partitionPage(this.client, this.tableName, tenant, options, toList);
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: key(tenant, id), ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }
}
