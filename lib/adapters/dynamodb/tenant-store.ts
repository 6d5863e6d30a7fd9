/** TenantStore on DynamoDB. Items: `pk = id` plus the Tenant fields (`relay` and `sending` as maps). */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { SendingState, Tenant } from '../../domain/tenant.ts';
import type { TenantPatch, TenantStore } from '../../ports/tenant-store.ts';
import { conditionalUpdate } from './conditional-update.ts';
import { checkLimit, decodeCursor, encodeCursor } from './cursor.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { scanPages } from './scan-pages.ts';

function toTenant(item: Record<string, unknown>): Tenant {
  return withoutAttributes(item, ['pk']) as unknown as Tenant;
}

/** The TenantStore port on the tenants table. Reads are strongly consistent: a pause or a new relay applies at once. */
export class DynamoTenantStore implements TenantStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Tenant | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk: id }), ConsistentRead: true }));
    return result.Item ? toTenant(fromItem(result.Item)) : undefined;
  }

  async create(tenant: Tenant): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ ...tenant, pk: tenant.id }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError('tenant_exists', `A tenant with id "${tenant.id}" exists already.`);
      throw error;
    }
  }

  /**
   * Tenants are an operator's accounts (a few thousand at most), so a page is taken from a
   * Scan sorted by id: the table has no sort key that could keep them in order. The cursor is
   * the last id of the previous page.
   */
  async list(options: { limit: number; cursor?: string }): Promise<{ tenants: Tenant[]; cursor?: string }> {
    checkLimit(options.limit);
    const after = options.cursor === undefined ? undefined : (fromItem(decodeCursor(options.cursor, ['pk'], {})).pk as string);
    let kept: Tenant[] = [];
    let more = false;
    const scan = scanPages(this.client, {
      TableName: this.tableName,
      ConsistentRead: true,
      ...(after !== undefined && {
        FilterExpression: '#pk > :after',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: toItem({ ':after': after }),
      }),
    });
    for await (const items of scan) {
      kept = kept.concat(items.map(toTenant)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      // Only the first `limit` matter, plus the knowledge that one more exists.
      if (kept.length > options.limit) {
        more = true;
        kept = kept.slice(0, options.limit);
      }
    }
    const last = kept.at(-1);
    const cursor = more && last ? encodeCursor(toItem({ pk: last.id })) : undefined;
    return cursor ? { tenants: kept, cursor } : { tenants: kept };
  }

  async update(id: string, patch: TenantPatch, at: string): Promise<Tenant> {
    const sets = ['updatedAt = :at'];
    const removes: string[] = [];
    const names: Record<string, string> = { '#pk': 'pk' };
    const values: Record<string, unknown> = { ':at': at };
    if (patch.name !== undefined) {
      sets.push('#name = :name');
      names['#name'] = 'name';
      values[':name'] = patch.name;
    }
    if (patch.relay !== undefined) {
      if (patch.relay === null) removes.push('relay');
      else {
        sets.push('relay = :relay');
        values[':relay'] = patch.relay;
      }
    }
    if (patch.ipPool !== undefined) {
      if (patch.ipPool === null) removes.push('ipPool');
      else {
        sets.push('ipPool = :ipPool');
        values[':ipPool'] = patch.ipPool;
      }
    }
    const attributes = await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: toItem({ pk: id }),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem(values),
      ReturnValues: 'ALL_NEW',
    });
    if (!attributes) throw new NotFoundError('Tenant');
    return toTenant(attributes);
  }

  /**
   * One conditional write: it applies only when the status differs. A tenant without a record is
   * active, so pausing one creates its record (named after its id) and resuming one changes nothing.
   */
  async setSending(id: string, state: SendingState, at: string): Promise<boolean> {
    const condition =
      state.status === 'paused'
        ? 'attribute_not_exists(#pk) OR sending.#status <> :status'
        : 'attribute_exists(#pk) AND sending.#status <> :status';
    const attributes = await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: toItem({ pk: id }),
      UpdateExpression:
        'SET sending = :sending, updatedAt = :at, id = if_not_exists(id, :id), #name = if_not_exists(#name, :id), createdAt = if_not_exists(createdAt, :at)',
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#name': 'name' },
      ExpressionAttributeValues: toItem({ ':sending': state, ':at': at, ':id': id, ':status': state.status }),
    });
    return attributes !== undefined;
  }
}
