/** MessageStore on DynamoDB: one partition per message, its recipients inside the message item (message-items.ts). */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { isPending, type MessageRecord, type MessageStatus, type RecipientRecord, type StoredMessage } from '../../domain/message.ts';
import type {
  CancelResult,
  ClaimResult,
  MessageStore,
  MessageWithContent,
  OutcomeResult,
  RecipientOutcome,
} from '../../ports/message-store.ts';
import { DEFAULT_RETENTION_DAYS } from '../../topology.ts';
import { batchWriteAll, putRequests } from './batch-write.ts';
import { MessageExistsError, StaleAttemptError, UnknownRecipientError } from './errors.ts';
import { feedEntries } from './feed-entries.ts';
import { expiryAfter, fromItem, toItem } from './marshalling.ts';
import { cancelMessage } from './message-cancel.ts';
import { claimAttempt, releaseAttempt } from './message-claim.ts';
import { BODY_SK, MESSAGE_SK, bodyItem, bodyKept, messageItem, messageKey, storedOfPartition, toStoredMessage } from './message-items.ts';
import { recordOutcome } from './message-outcome.ts';
import { tenantMessagesPage } from './message-page.ts';
import { completeWrite, statusWrite } from './message-writes.ts';
import { queryAll } from './query-all.ts';

/** Options of DynamoMessageStore. */
export interface DynamoMessageStoreOptions {
  /** Days items are kept before DynamoDB's TTL removes them; DEFAULT_RETENTION_DAYS by default. */
  retentionDays?: number;
  /**
   * The feed table (TABLES.feed): `create` writes each message's lookup entries there
   * (feed-entries.ts). Functions that never create messages leave it out.
   */
  feedTable?: string;
}

// Re-reads allowed when a recipient changes between markFailed's (or requeueFailed's) read and its write.
const MARK_FAILED_TRIES = 3;

/** The MessageStore port on the messages table (see lib/adapters/dynamodb/message-items.ts for the layout). */
export class DynamoMessageStore implements MessageStore {
  private readonly retentionDays: number;
  private readonly feedTable: string | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoMessageStoreOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.feedTable = options.feedTable;
  }

  /**
   * Writes the body item and the feed's lookup entries side by side, then the message item
   * with its recipients; the message item's conditional put is what creates the message (a
   * reader never sees one without its body, and the feed skips entries whose message is not
   * there). Throws MessageExistsError for a known id: a retry of the same acceptance has then
   * written the same entries again, which changes nothing. Plain writes cost half of a transaction.
   * (A message whose id was made for it just now cannot exist: DynamoMessageBatchWriter writes
   * such a message and its events in one request.)
   */
  async create(stored: StoredMessage): Promise<void> {
    const { message } = stored;
    const expiresAt = expiryAfter(message.createdAt, this.retentionDays);
    const TableName = this.tableName;
    const body = bodyItem(message, expiresAt);
    const entries = this.feedTable ? feedEntries(stored, expiresAt) : [];
    const writeBody = async () => {
      if (!body) return;
      try {
        // Kept if present: it belongs to this id, which the message item's condition settles next.
        await this.client.send(new PutItemCommand({ TableName, Item: body, ConditionExpression: 'attribute_not_exists(pk)' }));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    };
    const writeEntries = async () => {
      if (this.feedTable && entries.length > 0) await batchWriteAll(this.client, this.feedTable, putRequests(entries));
    };
    await Promise.all([writeBody(), writeEntries()]);
    try {
      await this.client.send(
        new PutItemCommand({ TableName, Item: messageItem(stored, expiresAt), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new MessageExistsError(message.id, { cause: error });
      throw error;
    }
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    return storedOfPartition(await this.partition(id));
  }

  /** The message and body items, from one query; `bodyKept` false when the body item's TTL removed it first. */
  async getContent(id: string): Promise<MessageWithContent | undefined> {
    const items = await this.partition(id);
    const item = items.find((candidate) => candidate.sk === MESSAGE_SK);
    if (!item) return undefined;
    return {
      message: toStoredMessage(
        item,
        items.find((candidate) => candidate.sk === BODY_SK),
      ).message,
      bodyKept: bodyKept(item, items),
    };
  }

  /** Every item of a message's partition, read consistently. */
  private partition(id: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: toItem({ ':pk': id }),
      ConsistentRead: true,
    });
  }

  claim(id: string, attempt: number, now: number, leaseUntil: number, bodies?: Uint8Array): Promise<ClaimResult> {
    return claimAttempt(this.client, this.tableName, id, attempt, now, leaseUntil, bodies);
  }

  release(id: string, attempt: number, leaseUntil: number): Promise<boolean> {
    return releaseAttempt(this.client, this.tableName, id, attempt, leaseUntil);
  }

  /**
   * Ends an attempt with one conditional write. Throws StaleAttemptError when the message is
   * missing or no longer at `attempt`, UnknownRecipientError when a recipient is not the message's.
   */
  async complete(id: string, attempt: number, recipients: RecipientRecord[], status: MessageStatus, at: string): Promise<void> {
    try {
      await this.client.send(new UpdateItemCommand(completeWrite(this.tableName, id, attempt, recipients, status, at)));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? fromItem(error.Item) : undefined;
      if (old?.attempts !== attempt) throw new StaleAttemptError(id, attempt, { cause: error });
      throw new UnknownRecipientError(id, { cause: error });
    }
  }

  /** Cancels a message not yet taken by delivery (see message-cancel.ts). */
  cancel(id: string, tenant: string, at: string): Promise<CancelResult> {
    return cancelMessage(this.client, this.tableName, id, tenant, at);
  }

  /** Marks the message and its pending recipients failed (see statusWrite); undefined when it is missing. */
  markFailed(id: string, at: string): Promise<StoredMessage | undefined> {
    return this.moveStatus(id, (status) => isPending(status), ['queued', 'deferred'], 'failed', at);
  }

  /** Sets a message's failed recipients, and the message, back to queued (see MessageStore.requeueFailed). */
  requeueFailed(id: string, at: string): Promise<StoredMessage | undefined> {
    return this.moveStatus(id, (status) => status === 'failed', ['failed'], 'queued', at, { onlyWithRecipients: true });
  }

  /**
   * Reads the message, then moves it and its recipients whose status `matches` to `to` in
   * one conditional write; re-reads when a recipient changed in between. With
   * `onlyWithRecipients`, a message without such recipients is returned unchanged.
   */
  private async moveStatus(
    id: string,
    matches: (status: MessageStatus) => boolean,
    from: MessageStatus[],
    to: MessageStatus,
    at: string,
    options: { onlyWithRecipients?: boolean } = {},
  ): Promise<StoredMessage | undefined> {
    for (let tries = 1; ; tries++) {
      const stored = await this.readMessage(id);
      if (!stored) return undefined;
      const emails = stored.recipients.filter((recipient) => matches(recipient.status)).map((recipient) => recipient.email);
      if (options.onlyWithRecipients && emails.length === 0) return this.get(id);
      try {
        await this.client.send(new UpdateItemCommand(statusWrite(this.tableName, id, emails, from, to, at)));
      } catch (error) {
        // A recipient finished (or the message vanished) after the read: read again.
        if (tries < MARK_FAILED_TRIES && error instanceof ConditionalCheckFailedException) continue;
        throw error;
      }
      return this.get(id);
    }
  }

  /** The message item alone (recipients, no bodies), read consistently. */
  private async readMessage(id: string): Promise<StoredMessage | undefined> {
    const answer = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: messageKey(id), ConsistentRead: true }));
    return answer.Item ? toStoredMessage(fromItem(answer.Item)) : undefined;
  }

  /** Moves a recipient's status forward only and recomputes the message's (see message-outcome.ts). */
  recordOutcome(id: string, outcome: RecipientOutcome): Promise<OutcomeResult> {
    return recordOutcome(this.client, this.tableName, id, outcome);
  }

  /**
   * A page of the tenant's messages, newest first, across the shards of the `byTenant` index
   * (message-page.ts). A malformed cursor throws ValidationError.
   */
  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<{ items: MessageRecord[]; cursor?: string }> {
    return tenantMessagesPage(this.client, this.tableName, tenant, options);
  }
}
