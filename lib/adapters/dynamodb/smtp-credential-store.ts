/** SmtpCredentialStore on DynamoDB. Items: `pk = username` plus the SmtpCredentialRecord fields. */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../../domain/errors.ts';
import type { SmtpCredentialRecord } from '../../domain/smtp-credential.ts';
import type { Page } from '../../domain/suppression.ts';
import type { SmtpCredentialStore } from '../../ports/smtp-credential-store.ts';
import { revokeItem } from './conditional-update.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { tenantIndexPage } from './tenant-index-page.ts';

function toRecord(item: Record<string, unknown>): SmtpCredentialRecord {
  return withoutAttributes(item, ['pk']) as unknown as SmtpCredentialRecord;
}

/** The SmtpCredentialStore port on the smtpCredentials table. */
export class DynamoSmtpCredentialStore implements SmtpCredentialStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Strongly consistent, so a credential revoked a moment ago no longer authenticates. */
  async get(username: string): Promise<SmtpCredentialRecord | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk: username }), ConsistentRead: true }),
    );
    return result.Item ? toRecord(fromItem(result.Item)) : undefined;
  }

  async create(record: SmtpCredentialRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ ...record, pk: record.username }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError('smtp_credential_exists', `The SMTP username ${record.username} is taken.`);
      throw error;
    }
  }

  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<SmtpCredentialRecord>> {
    return tenantIndexPage(this.client, this.tableName, tenant, options, toRecord);
  }

  async revoke(username: string, at: string): Promise<SmtpCredentialRecord | undefined> {
    const attributes = await revokeItem(this.client, this.tableName, username, at);
    return attributes ? toRecord(attributes) : undefined;
  }
}
