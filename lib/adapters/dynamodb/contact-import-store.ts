/**
 * ContactImportStore on DynamoDB. One partition per list (`pk = "<tenant>#<list id>"`): the job
 * item (`sk = <import id>`, the ContactImportJob fields) and the pages of its result beside it,
 * `<import id>#d#NNN` (duplicates), `<import id>#f#NNN` (failed rows) and `<import id>#u#NNNNN`
 * (the unsubscribed addresses of one step), each a JSON array in `entries`, small enough for an
 * item. `expiresAt` is epoch seconds (the table's TTL attribute) on every item.
 *
 * A step is recorded by an update conditional on the steps recorded so far, in one transaction
 * with the page of its unsubscribed addresses when it has any: a step is counted once or not at
 * all, and its page exists exactly when it was counted.
 */
import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { ContactImportJob, ImportFailure, ImportRef } from '../../domain/contact-import-job.ts';
import type { ContactImportStore, ImportCompletion, ImportResultLists, ImportStepRecord } from '../../ports/contact-import-store.ts';
import { batchWriteAll } from './batch-write.ts';
import { conditionalUpdate } from './conditional-update.ts';
import { contactPartition } from './contact-store.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { queryAll } from './query-all.ts';
import { cancellationCodes } from './transactions.ts';

/** Largest JSON text of one result page, in bytes: well below the 400 KB item limit. */
const PAGE_BYTES = 300_000;

const key = (ref: ImportRef, sk = ref.id) => toItem({ pk: contactPartition(ref.tenant, ref.listId), sk });
const epochSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000);
const pageKey = (id: string, kind: 'd' | 'f' | 'u', index: number) => `${id}#${kind}#${String(index).padStart(kind === 'u' ? 5 : 3, '0')}`;

function toJob(item: Record<string, unknown>): ContactImportJob {
  const job = withoutAttributes(item, ['pk', 'sk']) as unknown as ContactImportJob & { expiresAt: number };
  return { ...job, expiresAt: new Date(Number(job.expiresAt) * 1000).toISOString() };
}

/** Entries in pages whose JSON text stays within PAGE_BYTES. */
export function pages<T>(entries: T[], limit = PAGE_BYTES): string[] {
  const out: string[] = [];
  let page: string[] = [];
  let bytes = 2;
  for (const entry of entries) {
    const text = JSON.stringify(entry);
    const size = Buffer.byteLength(text, 'utf8') + 1;
    if (page.length && bytes + size > limit) {
      out.push(`[${page.join(',')}]`);
      page = [];
      bytes = 2;
    }
    page.push(text);
    bytes += size;
  }
  if (page.length) out.push(`[${page.join(',')}]`);
  return out;
}

/** The ContactImportStore port on the imports table (strongly consistent reads). */
export class DynamoContactImportStore implements ContactImportStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(job: ContactImportJob): Promise<void> {
    const item = { ...job, pk: contactPartition(job.tenant, job.listId), sk: job.id, expiresAt: epochSeconds(job.expiresAt) };
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: toItem(item), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(ref: ImportRef): Promise<ContactImportJob | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(ref), ConsistentRead: true }));
    return result.Item ? toJob(fromItem(result.Item)) : undefined;
  }

  async start(ref: ImportRef, at: string): Promise<ContactImportJob | undefined> {
    const attributes = await this.update({
      Key: key(ref),
      UpdateExpression: 'SET #state = :running, #updatedAt = :at, #startedAt = if_not_exists(#startedAt, :at)',
      ConditionExpression: 'attribute_exists(#pk) AND #state IN (:queued, :running)',
      ExpressionAttributeNames: { '#pk': 'pk', '#state': 'state', '#updatedAt': 'updatedAt', '#startedAt': 'startedAt' },
      ExpressionAttributeValues: toItem({ ':running': 'running', ':queued': 'queued', ':at': at }),
      ReturnValues: 'ALL_NEW',
    });
    return attributes ? toJob(attributes) : undefined;
  }

  async recordStep(job: ContactImportJob, record: ImportStepRecord): Promise<boolean> {
    const update = {
      TableName: this.tableName,
      Key: key(job),
      UpdateExpression:
        'SET #stepsDone = :next, #rowsDone = :rowsDone, #imported = :imported, #failedCount = :failedCount, #updatedAt = :at ADD #unsubscribedCount :unsubscribed',
      ConditionExpression: '#state = :running AND #stepsDone = :step',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#stepsDone': 'stepsDone',
        '#rowsDone': 'rowsDone',
        '#imported': 'imported',
        '#failedCount': 'failedCount',
        '#unsubscribedCount': 'unsubscribedCount',
        '#updatedAt': 'updatedAt',
      },
      ExpressionAttributeValues: toItem({
        ':running': 'running',
        ':step': record.step,
        ':next': record.step + 1,
        ':rowsDone': record.rowsDone,
        ':imported': record.imported,
        ':failedCount': record.failedCount,
        ':unsubscribed': record.unsubscribed.length,
        ':at': record.at,
      }),
    } satisfies UpdateItemCommandInput;
    if (record.unsubscribed.length === 0) return (await conditionalUpdate(this.client, update)) !== undefined;
    const page = {
      ...toItem({ entries: JSON.stringify(record.unsubscribed), expiresAt: epochSeconds(job.expiresAt) }),
      ...key(job, pageKey(job.id, 'u', record.step)),
    };
    try {
      await this.client.send(
        new TransactWriteItemsCommand({ TransactItems: [{ Update: update }, { Put: { TableName: this.tableName, Item: page } }] }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async complete(job: ContactImportJob, completion: ImportCompletion): Promise<boolean> {
    // The pages first: written again by a run that takes over, with the same content.
    const expiresAt = epochSeconds(job.expiresAt);
    const items = [
      ...pages(completion.duplicates).map((entries, i) => ({ sk: pageKey(job.id, 'd', i), entries })),
      ...pages(completion.failed).map((entries, i) => ({ sk: pageKey(job.id, 'f', i), entries })),
    ];
    await batchWriteAll(
      this.client,
      this.tableName,
      items.map(({ sk, entries }) => ({ PutRequest: { Item: { ...toItem({ entries, expiresAt }), ...key(job, sk) } } })),
    );
    const attributes = await this.update({
      Key: key(job),
      UpdateExpression:
        'SET #state = :completed, #rowsDone = :rowsDone, #imported = :imported, #failedCount = :failedCount, #updatedAt = :at, #completedAt = :at',
      ConditionExpression: '#state = :running AND #stepsDone = :steps',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#stepsDone': 'stepsDone',
        '#rowsDone': 'rowsDone',
        '#imported': 'imported',
        '#failedCount': 'failedCount',
        '#updatedAt': 'updatedAt',
        '#completedAt': 'completedAt',
      },
      ExpressionAttributeValues: toItem({
        ':completed': 'completed',
        ':running': 'running',
        ':steps': completion.steps,
        ':rowsDone': completion.rowsDone,
        ':imported': completion.imported,
        ':failedCount': completion.failedCount,
        ':at': completion.at,
      }),
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes !== undefined;
  }

  async fail(ref: ImportRef, failure: ImportFailure, error: string, at: string): Promise<boolean> {
    const attributes = await this.update({
      Key: key(ref),
      UpdateExpression: 'SET #state = :failed, #failure = :failure, #error = :error, #updatedAt = :at',
      ConditionExpression: 'attribute_exists(#pk) AND #state IN (:queued, :running)',
      ExpressionAttributeNames: { '#pk': 'pk', '#state': 'state', '#failure': 'failure', '#error': 'error', '#updatedAt': 'updatedAt' },
      ExpressionAttributeValues: toItem({
        ':failed': 'failed',
        ':queued': 'queued',
        ':running': 'running',
        ':failure': failure,
        ':error': error.slice(0, 1000),
        ':at': at,
      }),
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes !== undefined;
  }

  async results(ref: ImportRef): Promise<ImportResultLists> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({ ':pk': contactPartition(ref.tenant, ref.listId), ':prefix': `${ref.id}#` }),
      ConsistentRead: true,
    });
    const lists: ImportResultLists = { failed: [], duplicates: [], unsubscribed: [] };
    const target = { d: lists.duplicates, f: lists.failed, u: lists.unsubscribed } as Record<string, unknown[]>;
    // In key order: pages of each kind come in their order.
    for (const item of items) target[String(item.sk).split('#')[1] ?? '']?.push(...(JSON.parse(String(item.entries)) as unknown[]));
    return lists;
  }

  private update(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<Record<string, unknown> | undefined> {
    return conditionalUpdate(this.client, { TableName: this.tableName, ...input });
  }
}
