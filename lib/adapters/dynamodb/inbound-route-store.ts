/**
 * InboundRouteStore on DynamoDB, in the webhooks table (routes lead to webhooks, and are few):
 *
 * - the route under its match: `pk = "inbound-route#<match>"`, `sk = "route"`, so that arriving
 *   mail finds it with one read and a match belongs to one route (a conditional put);
 * - the tenant's list: `pk = "<tenant>#inbound-routes"`, `sk = <route id>` (ULIDs: creation order).
 *
 * Both are written and removed in one transaction. A match holds `@` or `.`, and tenant ids hold
 * no `#`, so neither shares a partition with an endpoint, its count or its delivery log.
 */
import { GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InboundRouteTakenError, type InboundRoute } from '../../domain/inbound-route.ts';
import type { InboundRouteStore } from '../../ports/inbound-route-store.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { queryAll } from './query-all.ts';
import { cancellationCodes } from './transactions.ts';

const STORAGE = ['pk', 'sk'] as const;
const matchKey = (match: string) => ({ pk: `inbound-route#${match}`, sk: 'route' });
const listKey = (tenant: string, id: string) => ({ pk: `${tenant}#inbound-routes`, sk: id });
const toRoute = (item: Record<string, unknown>) => withoutAttributes(item, STORAGE) as unknown as InboundRoute;

/** The InboundRouteStore port on the webhooks table. */
export class DynamoInboundRouteStore implements InboundRouteStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(route: InboundRoute): Promise<void> {
    const put = (key: Record<string, string>) => ({
      Put: { TableName: this.tableName, Item: toItem({ ...route, ...key }), ConditionExpression: 'attribute_not_exists(pk)' },
    });
    try {
      await this.client.send(
        new TransactWriteItemsCommand({ TransactItems: [put(matchKey(route.match)), put(listKey(route.tenant, route.id))] }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new InboundRouteTakenError(route.match);
      throw error;
    }
  }

  async list(tenant: string): Promise<InboundRoute[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: toItem({ ':pk': listKey(tenant, '').pk }),
      ConsistentRead: true,
    });
    return items.map((item) => toRoute(item));
  }

  async get(tenant: string, id: string): Promise<InboundRoute | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem(listKey(tenant, id)), ConsistentRead: true }),
    );
    return result.Item ? toRoute(fromItem(result.Item)) : undefined;
  }

  async delete(route: InboundRoute): Promise<void> {
    await this.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: toItem(listKey(route.tenant, route.id)) } },
          // Only this route's own claim on the match is removed.
          {
            Delete: {
              TableName: this.tableName,
              Key: toItem(matchKey(route.match)),
              ConditionExpression: 'attribute_not_exists(pk) OR id = :id',
              ExpressionAttributeValues: toItem({ ':id': route.id }),
            },
          },
        ],
      }),
    );
  }

  async find(keys: string[]): Promise<InboundRoute | undefined> {
    for (const key of keys) {
      const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(matchKey(key)) }));
      if (result.Item) return toRoute(fromItem(result.Item));
    }
    return undefined;
  }
}
