/**
 * ExportStore on DynamoDB. Items: `pk = id` plus the ExportJob fields, with `expiresAt` in
 * epoch seconds (the table's TTL attribute) instead of the record's ISO time. Every run-scoped
 * update is conditional on the run number, so a run that was superseded changes nothing.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { ExportJob } from '../../domain/export-job.ts';
import type { ExportStore } from '../../ports/export-store.ts';
import { conditionalUpdate } from './conditional-update.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';

function key(id: string) {
  return toItem({ pk: id });
}

function toJob(item: Record<string, unknown>): ExportJob {
  const job = withoutAttributes(item, ['pk']) as unknown as ExportJob & { expiresAt: number };
  return { ...job, expiresAt: new Date(Number(job.expiresAt) * 1000).toISOString() };
}

/** The ExportStore port on the exports table. */
export class DynamoExportStore implements ExportStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(job: ExportJob): Promise<void> {
    const item = { ...job, pk: job.id, expiresAt: Math.ceil(Date.parse(job.expiresAt) / 1000) };
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: toItem(item), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(id: string): Promise<ExportJob | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }));
    return result.Item ? toJob(fromItem(result.Item)) : undefined;
  }

  async claim(id: string, at: string): Promise<ExportJob | undefined> {
    const attributes = await this.update({
      Key: key(id),
      UpdateExpression: 'SET #status = :running, #rowCount = :zero, #startedAt = :at ADD #attempts :one',
      ConditionExpression: 'attribute_exists(#pk) AND #status IN (:queued, :running)',
      ExpressionAttributeNames: {
        '#pk': 'pk',
        '#status': 'status',
        '#rowCount': 'rowCount',
        '#startedAt': 'startedAt',
        '#attempts': 'attempts',
      },
      ExpressionAttributeValues: toItem({ ':running': 'running', ':queued': 'queued', ':zero': 0, ':one': 1, ':at': at }),
      ReturnValues: 'ALL_NEW',
    });
    return attributes ? toJob(attributes) : undefined;
  }

  async progress(id: string, attempt: number, rowCount: number): Promise<boolean> {
    const attributes = await this.update({
      Key: key(id),
      UpdateExpression: 'SET #rowCount = :rows',
      ConditionExpression: '#attempts = :attempt AND #status = :running',
      ExpressionAttributeNames: { '#rowCount': 'rowCount', '#attempts': 'attempts', '#status': 'status' },
      ExpressionAttributeValues: toItem({ ':rows': rowCount, ':attempt': attempt, ':running': 'running' }),
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes !== undefined;
  }

  async complete(id: string, attempt: number, result: { rowCount: number; objectKey: string; finishedAt: string }): Promise<boolean> {
    const attributes = await this.update({
      Key: key(id),
      UpdateExpression: 'SET #status = :done, #rowCount = :rows, #objectKey = :key, #finishedAt = :at',
      ConditionExpression: '#attempts = :attempt AND #status = :running',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#rowCount': 'rowCount',
        '#objectKey': 'objectKey',
        '#finishedAt': 'finishedAt',
        '#attempts': 'attempts',
      },
      ExpressionAttributeValues: toItem({
        ':done': 'done',
        ':running': 'running',
        ':rows': result.rowCount,
        ':key': result.objectKey,
        ':at': result.finishedAt,
        ':attempt': attempt,
      }),
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes !== undefined;
  }

  async fail(id: string, reason: string, finishedAt: string, attempt?: number): Promise<boolean> {
    const ofRun = attempt === undefined ? '' : ' AND #attempts = :attempt';
    const attributes = await this.update({
      Key: key(id),
      UpdateExpression: 'SET #status = :failed, #error = :reason, #finishedAt = :at',
      ConditionExpression: `attribute_exists(#pk) AND #status IN (:queued, :running)${ofRun}`,
      ExpressionAttributeNames: {
        '#pk': 'pk',
        '#status': 'status',
        '#error': 'error',
        '#finishedAt': 'finishedAt',
        ...(attempt !== undefined && { '#attempts': 'attempts' }),
      },
      ExpressionAttributeValues: toItem({
        ':failed': 'failed',
        ':queued': 'queued',
        ':running': 'running',
        ':reason': reason.slice(0, 1000),
        ':at': finishedAt,
        ...(attempt !== undefined && { ':attempt': attempt }),
      }),
      ReturnValues: 'UPDATED_NEW',
    });
    return attributes !== undefined;
  }

  private update(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<Record<string, unknown> | undefined> {
    return conditionalUpdate(this.client, { TableName: this.tableName, ...input });
  }
}
