/**
 * Claims on domain names, in the domains table beside the tenants' domains, so that a name
 * belongs to one tenant:
 * - `pk = claim#<domain>`, `sk = #`: the claim (`tenant`, `claimedAt`);
 * - `pk = claim#<parent>`, `sk = sub#<domain>`: a mark under each parent of a claimed domain
 *   (`tenant`), so that a parent's registration can find claimed subdomains with one query.
 * Tenant ids hold no `#`, so no tenant's partition is ever a claim's.
 */
import { GetItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { domainAndParents } from '../../domain/sending-domain.ts';
import type { ClaimScope } from '../../ports/domain-store.ts';
import { fromItem, toItem } from './marshalling.ts';

const CLAIM_SK = '#';
const SUB_PREFIX = 'sub#';
/** The claim's condition: nobody holds it, or the tenant itself does. */
const FREE_OR_MINE = 'attribute_not_exists(pk) OR tenant = :me';

const claimPk = (name: string) => `claim#${name}`;
const claimKey = (name: string) => toItem({ pk: claimPk(name), sk: CLAIM_SK });
const parentsOf = (name: string) => domainAndParents(name).slice(1);

/** Reads and writes the claims of one domains table. */
export class DomainClaims {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The transaction items that give the tenant the claim (with `related`: only if no parent is another's). */
  claimWrites(tenant: string, name: string, at: string, scope: ClaimScope): TransactWriteItem[] {
    const me = toItem({ ':me': tenant });
    const parents = parentsOf(name);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: toItem({ pk: claimPk(name), sk: CLAIM_SK, tenant, claimedAt: at }),
          ConditionExpression: FREE_OR_MINE,
          ExpressionAttributeValues: me,
        },
      },
      ...parents.map((parent) => ({
        Put: { TableName: this.tableName, Item: toItem({ pk: claimPk(parent), sk: `${SUB_PREFIX}${name}`, tenant }) },
      })),
      ...(scope.related
        ? parents.map((parent) => ({
            ConditionCheck: {
              TableName: this.tableName,
              Key: claimKey(parent),
              ConditionExpression: FREE_OR_MINE,
              ExpressionAttributeValues: me,
            },
          }))
        : []),
    ];
  }

  /** The transaction items that drop the tenant's claim (it must hold it) and its marks. */
  releaseWrites(tenant: string, name: string): TransactWriteItem[] {
    return [
      {
        Delete: {
          TableName: this.tableName,
          Key: claimKey(name),
          ConditionExpression: 'tenant = :me',
          ExpressionAttributeValues: toItem({ ':me': tenant }),
        },
      },
      ...parentsOf(name).map((parent) => ({
        Delete: { TableName: this.tableName, Key: toItem({ pk: claimPk(parent), sk: `${SUB_PREFIX}${name}` }) },
      })),
    ];
  }

  /** The tenant holding the claim on the name, if any. */
  async owner(name: string): Promise<string | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: claimKey(name), ConsistentRead: true }));
    return result.Item ? String(fromItem(result.Item).tenant) : undefined;
  }

  /** Whether a tenant other than `tenant` claims the name or, with `related`, a parent or subdomain. */
  async claimedByOther(tenant: string, name: string, scope: ClaimScope): Promise<boolean> {
    const names = scope.related ? domainAndParents(name) : [name];
    const owners = await Promise.all(names.map((n) => this.owner(n)));
    if (owners.some((owner) => owner !== undefined && owner !== tenant)) return true;
    return scope.related && this.subdomainClaimedByOther(tenant, name);
  }

  /** Whether a tenant other than `tenant` claims a subdomain of the name. */
  async subdomainClaimedByOther(tenant: string, name: string): Promise<boolean> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
          FilterExpression: 'tenant <> :me',
          ExpressionAttributeValues: toItem({ ':pk': claimPk(name), ':sub': SUB_PREFIX, ':me': tenant }),
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      if ((page.Count ?? 0) > 0) return true;
      start = page.LastEvaluatedKey;
    } while (start);
    return false;
  }
}
