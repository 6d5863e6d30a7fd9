/**
 * TemplateStore on DynamoDB, in the templates table. Two kinds of item:
 *
 * - a template: `pk = tenant`, `sk = template id` (a ULID, so the partition is in creation
 *   order), the StoredTemplate fields without its bodies, `nameKey`, and the html and text
 *   parts deflated in `z` (raw DEFLATE of their JSON, as message bodies are kept): HTML shrinks
 *   several times, and every send with the template reads the whole item, billed by the byte;
 * - a name claim: `pk = "<tenant>#name"`, `sk = nameKey`, `templateId`: the item that makes
 *   names unique per tenant. Tenant ids hold no `#`, so no claim shares a template partition.
 *
 * Creating, renaming and deleting write the template and its claims in one transaction;
 * a replacement that keeps the name is a single conditional put.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { TemplateNameTakenError, templateNameKey, type StoredTemplate, type TemplateSummary } from '../../domain/stored-template.ts';
import type { Page } from '../../domain/suppression.ts';
import type { TemplateStore } from '../../ports/template-store.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { partitionPage } from './partition-page.ts';
import { cancellationCodes } from './transactions.ts';

const STORAGE = ['pk', 'sk', 'nameKey', 'z'] as const;
const FAILED = 'ConditionalCheckFailed';

/** A template with this id is stored already. */
export class TemplateExistsError extends Error {
  constructor(
    readonly templateId: string,
    options?: { cause?: unknown },
  ) {
    super(`template ${templateId} exists already`, options);
    this.name = 'TemplateExistsError';
  }
}

const key = (tenant: string, id: string) => toItem({ pk: tenant, sk: id });
const claimKey = (tenant: string, name: string) => toItem({ pk: `${tenant}#name`, sk: templateNameKey(name) });

function templateItem(template: StoredTemplate) {
  const { html, text, ...fields } = template;
  return toItem({
    ...fields,
    pk: template.tenant,
    sk: template.id,
    nameKey: templateNameKey(template.name),
    z: deflateRawSync(JSON.stringify({ html, text })),
  });
}

function toSummary(item: Record<string, unknown>): TemplateSummary {
  return withoutAttributes(item, STORAGE) as unknown as TemplateSummary;
}

function toTemplate(item: Record<string, unknown>): StoredTemplate {
  const { html, text } = JSON.parse(inflateRawSync(item.z as Uint8Array).toString('utf8')) as { html?: string; text?: string };
  return { ...toSummary(item), ...(html !== undefined && { html }), ...(text !== undefined && { text }) };
}

const sameVersion = (version: number) => ({
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: toItem({ ':version': version }),
});

/** The put of `template` on the condition that the stored one is `version` (absent: that none is stored). */
function putTemplate(tableName: string, template: StoredTemplate, version?: number): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: templateItem(template),
      ...(version === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#version = :version', ...sameVersion(version) }),
    },
  };
}

/** The TemplateStore port on the templates table (strongly consistent reads: a send right after an edit uses the edit). */
export class DynamoTemplateStore implements TemplateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private claim(template: StoredTemplate): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: toItem({ ...fromItem(claimKey(template.tenant, template.name)), templateId: template.id }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private release(template: StoredTemplate): TransactWriteItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: claimKey(template.tenant, template.name),
        ConditionExpression: 'templateId = :id',
        ExpressionAttributeValues: toItem({ ':id': template.id }),
      },
    };
  }

  /**
   * Runs a transaction whose first item is the template's own write. Resolves false when that
   * write's condition failed; throws TemplateNameTakenError when the claim at `claimAt` failed.
   */
  private async transact(items: TransactWriteItem[], claimAt?: number): Promise<boolean> {
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === FAILED) return false;
      if (claimAt !== undefined && codes?.[claimAt] === FAILED) throw new TemplateNameTakenError();
      throw error;
    }
  }

  /** @throws TemplateNameTakenError; TemplateExistsError when the id is taken. */
  async create(template: StoredTemplate): Promise<void> {
    if (!(await this.transact([putTemplate(this.tableName, template), this.claim(template)], 1))) {
      throw new TemplateExistsError(template.id);
    }
  }

  async get(tenant: string, id: string): Promise<StoredTemplate | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, id), ConsistentRead: true }));
    return result.Item ? toTemplate(fromItem(result.Item)) : undefined;
  }

  /** A page in id order; `limit` is 1..1000. A malformed cursor or limit throws ValidationError. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<TemplateSummary>> {
    return partitionPage(this.client, this.tableName, tenant, options, toSummary);
  }

  /** @throws TemplateNameTakenError when `next` is renamed to a name another template holds. */
  async replace(current: StoredTemplate, next: StoredTemplate): Promise<boolean> {
    if (templateNameKey(current.name) !== templateNameKey(next.name)) {
      return this.transact([putTemplate(this.tableName, next, current.version), this.release(current), this.claim(next)], 2);
    }
    try {
      await this.client.send(new PutItemCommand(putTemplate(this.tableName, next, current.version).Put!));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async delete(current: StoredTemplate): Promise<boolean> {
    return this.transact([
      {
        Delete: {
          TableName: this.tableName,
          Key: key(current.tenant, current.id),
          ConditionExpression: '#version = :version',
          ...sameVersion(current.version),
        },
      },
      this.release(current),
    ]);
  }
}
