/**
 * DomainStore on DynamoDB. Items: `pk = tenant`, `sk = domain name`, plus the SendingDomain
 * fields (the private key only in its encrypted form).
 */
import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NotFoundError } from '../../domain/errors.ts';
import type { SendingDomain } from '../../domain/sending-domain.ts';
import type { DomainCheckUpdate, DomainStore } from '../../ports/domain-store.ts';
import { conditionalUpdate } from './conditional-update.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { partitionPage } from './partition-page.ts';

const STORAGE = ['pk', 'sk'] as const;

function key(tenant: string, name: string) {
  return toItem({ pk: tenant, sk: name });
}

function toDomain(item: Record<string, unknown>): SendingDomain {
  return withoutAttributes(item, STORAGE) as unknown as SendingDomain;
}

/** The DomainStore port on the domains table (strongly consistent reads). */
export class DynamoDomainStore implements DomainStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(tenant: string, name: string): Promise<SendingDomain | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, name), ConsistentRead: true }));
    return result.Item ? toDomain(fromItem(result.Item)) : undefined;
  }

  async create(domain: SendingDomain): Promise<{ created: boolean; domain: SendingDomain }> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ ...domain, pk: domain.tenant, sk: domain.name }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, domain };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(domain.tenant, domain.name);
      // Removed between the failed put and the read: a rare race the caller may retry.
      if (!existing) throw error;
      return { created: false, domain: existing };
    }
  }

  list(tenant: string, options: { limit: number; cursor?: string }): Promise<{ items: SendingDomain[]; cursor?: string }> {
    return partitionPage(this.client, this.tableName, tenant, options, toDomain);
  }

  async saveCheck(tenant: string, name: string, update: DomainCheckUpdate): Promise<SendingDomain> {
    const values: Record<string, unknown> = { ':checks': update.checks, ':checkedAt': update.checkedAt, ':verified': update.verified, ':updatedAt': update.checkedAt };
    const set = ['checks = :checks', 'checkedAt = :checkedAt', 'verified = :verified', 'updatedAt = :updatedAt'];
    const remove: string[] = [];
    if (update.verifiedAt !== undefined) {
      set.push('verifiedAt = :verifiedAt');
      values[':verifiedAt'] = update.verifiedAt;
    } else remove.push('verifiedAt');
    if (update.sesVerified !== undefined) {
      set.push('sesVerified = :sesVerified');
      values[':sesVerified'] = update.sesVerified;
    }
    const attributes = await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: key(tenant, name),
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: toItem(values),
      ReturnValues: 'ALL_NEW',
    });
    if (!attributes) throw new NotFoundError('Domain');
    return toDomain(attributes);
  }

  async delete(tenant: string, name: string): Promise<boolean> {
    const result = await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key(tenant, name), ReturnValues: 'ALL_OLD' }));
    return result.Attributes !== undefined;
  }
}
