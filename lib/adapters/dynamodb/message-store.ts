/** MessageStore on DynamoDB: one partition per message, its recipients beside it. */
import { QueryCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isPending, type MessageRecord, type MessageStatus, type RecipientRecord, type StoredMessage } from '../../domain/message.ts';
import type { ClaimResult, MessageStore, OutcomeResult, RecipientOutcome } from '../../ports/message-store.ts';
import { DEFAULT_RETENTION_DAYS, TABLES } from '../../topology.ts';
import { checkLimit, decodeCursor, encodeCursor } from './cursor.ts';
import { MessageExistsError, StaleAttemptError, UnknownRecipientError } from './errors.ts';
import { expiryAfter, toItem } from './marshalling.ts';
import { claimAttempt, releaseAttempt } from './message-claim.ts';
import { messageItem, messageKey, recipientItem, recipientKey, toStoredMessage } from './message-items.ts';
import { recordOutcome } from './message-outcome.ts';
import { messagesOfPage } from './message-page.ts';
import { completeWrites, failedWrites } from './message-writes.ts';
import { queryAll } from './query-all.ts';
import { cancellationCodes } from './transactions.ts';

/** Options of DynamoMessageStore. */
export interface DynamoMessageStoreOptions {
  /** Days items are kept before DynamoDB's TTL removes them; DEFAULT_RETENTION_DAYS by default. */
  retentionDays?: number;
}

const BY_TENANT = TABLES.messages.indexes[0].name;
const BY_TENANT_KEY = ['pk', 'sk', 'tenant', 'createdAt'] as const;
// Re-reads allowed when a recipient changes between markFailed's (or requeueFailed's) read and its write.
const MARK_FAILED_TRIES = 3;

/** The MessageStore port on the messages table (see lib/adapters/dynamodb/message-items.ts for the layout). */
export class DynamoMessageStore implements MessageStore {
  private readonly retentionDays: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoMessageStoreOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  }

  /** Writes the message and its recipients in one transaction. Throws MessageExistsError for a known id. */
  async create(stored: StoredMessage): Promise<void> {
    const { message, recipients } = stored;
    const expiresAt = expiryAfter(message.createdAt, this.retentionDays);
    const TableName = this.tableName;
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: messageItem(message, expiresAt), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...recipients.map((recipient, position) => ({ Put: { TableName, Item: recipientItem(recipient, position, expiresAt) } })),
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new MessageExistsError(message.id, { cause: error });
      throw error;
    }
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: toItem({ ':pk': id }),
      ConsistentRead: true,
    });
    return toStoredMessage(items);
  }

  claim(id: string, attempt: number, now: number, leaseUntil: number): Promise<ClaimResult> {
    return claimAttempt(this.client, this.tableName, id, attempt, now, leaseUntil);
  }

  release(id: string, attempt: number, leaseUntil: number): Promise<boolean> {
    return releaseAttempt(this.client, this.tableName, id, attempt, leaseUntil);
  }

  /**
   * Ends an attempt in one transaction. Throws StaleAttemptError when the message is missing
   * or no longer at `attempt`, UnknownRecipientError when a recipient is not the message's.
   */
  async complete(id: string, attempt: number, recipients: RecipientRecord[], status: MessageStatus, at: string): Promise<void> {
    try {
      const TransactItems = completeWrites(this.tableName, id, attempt, recipients, status, at);
      await this.client.send(new TransactWriteItemsCommand({ TransactItems }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') throw new StaleAttemptError(id, attempt, { cause: error });
      if (codes?.includes('ConditionalCheckFailed')) throw new UnknownRecipientError(id, { cause: error });
      throw error;
    }
  }

  /** Marks the message and its pending recipients failed (see failedWrites); undefined when it is missing. */
  async markFailed(id: string, at: string): Promise<StoredMessage | undefined> {
    for (let tries = 1; ; tries++) {
      const stored = await this.get(id);
      if (!stored) return undefined;
      const pending = stored.recipients.filter((recipient) => isPending(recipient.status));
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: failedWrites(this.tableName, id, pending, at) }));
      } catch (error) {
        // A recipient finished (or the message vanished) after the read: read again.
        if (tries < MARK_FAILED_TRIES && cancellationCodes(error)?.includes('ConditionalCheckFailed')) continue;
        throw error;
      }
      return this.get(id);
    }
  }

  /** Sets a message's failed recipients, and the message, back to queued (see MessageStore.requeueFailed). */
  async requeueFailed(id: string, at: string): Promise<StoredMessage | undefined> {
    for (let tries = 1; ; tries++) {
      const stored = await this.get(id);
      if (!stored) return undefined;
      const failed = stored.recipients.filter((recipient) => recipient.status === 'failed');
      if (failed.length === 0) return stored;
      const TableName = this.tableName;
      const values = toItem({ ':queued': 'queued', ':failed': 'failed', ':at': at });
      const names = { '#status': 'status', '#updatedAt': 'updatedAt' };
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName,
                  Key: messageKey(id),
                  UpdateExpression: 'SET #status = :queued, #updatedAt = :at REMOVE #leaseUntil',
                  ConditionExpression: 'attribute_exists(#pk)',
                  ExpressionAttributeNames: { ...names, '#leaseUntil': 'leaseUntil', '#pk': 'pk' },
                  ExpressionAttributeValues: toItem({ ':queued': 'queued', ':at': at }),
                },
              },
              ...failed.map((recipient) => ({
                Update: {
                  TableName,
                  Key: recipientKey(id, recipient.email),
                  UpdateExpression: 'SET #status = :queued, #updatedAt = :at',
                  ConditionExpression: '#status = :failed',
                  ExpressionAttributeNames: names,
                  ExpressionAttributeValues: values,
                },
              })),
            ],
          }),
        );
      } catch (error) {
        // The message or a recipient changed after the read: read again.
        if (tries < MARK_FAILED_TRIES && cancellationCodes(error)?.includes('ConditionalCheckFailed')) continue;
        throw error;
      }
      return this.get(id);
    }
  }

  /** Moves a recipient's status forward only and recomputes the message's (see message-outcome.ts). */
  recordOutcome(id: string, outcome: RecipientOutcome): Promise<OutcomeResult> {
    return recordOutcome(this.client, this.tableName, id, outcome);
  }

  /** A page of the tenant's messages, newest first. A malformed cursor throws ValidationError. */
  async listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<{ items: MessageRecord[]; cursor?: string }> {
    checkLimit(options.limit);
    const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, BY_TENANT_KEY, { tenant });
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_TENANT,
        KeyConditionExpression: '#tenant = :tenant',
        ExpressionAttributeNames: { '#tenant': 'tenant' },
        ExpressionAttributeValues: toItem({ ':tenant': tenant }),
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey: start,
      }),
    );
    const items = await messagesOfPage(this.client, this.tableName, page.Items ?? []);
    const cursor = encodeCursor(page.LastEvaluatedKey);
    return cursor ? { items, cursor } : { items };
  }
}
