/**
 * Claims on domain names, in the domains table beside the tenants' domains, so that a name
 * belongs to one tenant:
 * - `pk = claim#<domain>`, `sk = #`: the claim (`tenant`, `claimedAt`, and either `verified` or
 *   `holdUntil`, the epoch milliseconds until which an unverified claim holds the name);
 * - `pk = claim#<parent>`, `sk = sub#<domain>`: a mark under each parent of a claimed domain
 *   (`tenant`, and the claim's `verified` or `holdUntil`), so that a parent's registration can
 *   find claimed subdomains with one query.
 * An unverified claim that has lapsed stands in nobody's way. A claim written before claims could
 * lapse has neither attribute: it holds the name until the store settles it (see `settle`).
 * Tenant ids hold no `#`, so no tenant's partition is ever a claim's.
 */
import { GetItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { domainAndParents } from '../../domain/sending-domain.ts';
import type { ClaimScope } from '../../ports/domain-store.ts';
import { fromItem, toItem } from './marshalling.ts';
import { conditionalUpdate } from './conditional-update.ts';

const CLAIM_SK = '#';
const SUB_PREFIX = 'sub#';
/** The claim's condition: nobody holds it, the tenant itself does, or an unverified claim lapsed. */
const TAKEABLE = 'attribute_not_exists(pk) OR tenant = :me OR holdUntil < :now';

const claimPk = (name: string) => `claim#${name}`;
const claimKey = (name: string) => toItem({ pk: claimPk(name), sk: CLAIM_SK });
const parentsOf = (name: string) => domainAndParents(name).slice(1);

/** A claim as stored. */
export interface StoredClaim {
  tenant: string;
  claimedAt?: string;
  verified?: boolean;
  holdUntil?: number;
}

/** How a claim holds its name: for good once verified, otherwise until `holdUntil`. */
export type ClaimHold = { verified: true } | { holdUntil: number };

/** Whether the claim (or a mark, which carries the same attributes) stands in another tenant's way at `now`. */
export function holds(claim: { verified?: boolean; holdUntil?: number }, now: number): boolean {
  return claim.verified === true || claim.holdUntil === undefined || claim.holdUntil > now;
}

/** Whether the claim predates lapsing claims: neither verified nor held until a time. */
export function isUnsettled(claim: { verified?: boolean; holdUntil?: number }): boolean {
  return claim.verified === undefined && claim.holdUntil === undefined;
}

/** The attributes that store a hold, their names prefixed (`:` for expression values). */
const holdAttributes = (hold: ClaimHold, prefix = '') =>
  'verified' in hold ? { [`${prefix}verified`]: true } : { [`${prefix}holdUntil`]: hold.holdUntil };

/** Reads and writes the claims of one domains table. */
export class DomainClaims {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * The transaction items that give the tenant the claim (with `related`: only if no parent is
   * another's), unless another tenant's claim holds the name at `now`.
   */
  claimWrites(tenant: string, name: string, at: string, hold: ClaimHold, scope: ClaimScope, now: number): TransactWriteItem[] {
    const values = toItem({ ':me': tenant, ':now': now });
    const parents = parentsOf(name);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: toItem({ pk: claimPk(name), sk: CLAIM_SK, tenant, claimedAt: at, ...holdAttributes(hold) }),
          ConditionExpression: TAKEABLE,
          ExpressionAttributeValues: values,
        },
      },
      ...parents.map((parent) => ({
        Put: {
          TableName: this.tableName,
          Item: toItem({ pk: claimPk(parent), sk: `${SUB_PREFIX}${name}`, tenant, ...holdAttributes(hold) }),
        },
      })),
      ...(scope.related
        ? parents.map((parent) => ({
            ConditionCheck: {
              TableName: this.tableName,
              Key: claimKey(parent),
              ConditionExpression: TAKEABLE,
              ExpressionAttributeValues: values,
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

  /** The claim on the name as stored, lapsed or not. */
  async read(name: string): Promise<StoredClaim | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: claimKey(name), ConsistentRead: true }));
    if (!result.Item) return undefined;
    const item = fromItem(result.Item);
    return {
      tenant: String(item.tenant),
      ...(typeof item.claimedAt === 'string' && { claimedAt: item.claimedAt }),
      ...(typeof item.verified === 'boolean' && { verified: item.verified }),
      ...(typeof item.holdUntil === 'number' && { holdUntil: item.holdUntil }),
    };
  }

  /** The tenant whose claim holds the name at `now`, if any. */
  async owner(name: string, now: number): Promise<string | undefined> {
    const claim = await this.read(name);
    return claim && holds(claim, now) ? claim.tenant : undefined;
  }

  /** Whether a tenant other than `tenant` holds the name or, with `related`, a parent or subdomain at `now`. */
  async claimedByOther(tenant: string, name: string, scope: ClaimScope, now: number): Promise<boolean> {
    const names = scope.related ? domainAndParents(name) : [name];
    const owners = await Promise.all(names.map((n) => this.owner(n, now)));
    if (owners.some((owner) => owner !== undefined && owner !== tenant)) return true;
    return scope.related && this.subdomainClaimedByOther(tenant, name, now);
  }

  /** Whether a tenant other than `tenant` holds a subdomain of the name at `now`. */
  async subdomainClaimedByOther(tenant: string, name: string, now: number): Promise<boolean> {
    return (await this.subdomainMarks(tenant, name)).some((mark) => holds(mark, now));
  }

  /** The marks of other tenants' claims on subdomains of the name. */
  async subdomainMarks(tenant: string, name: string): Promise<(StoredClaim & { name: string })[]> {
    const marks: (StoredClaim & { name: string })[] = [];
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
      for (const raw of page.Items ?? []) {
        const item = fromItem(raw);
        marks.push({
          name: String(item.sk).slice(SUB_PREFIX.length),
          tenant: String(item.tenant),
          ...(typeof item.verified === 'boolean' && { verified: item.verified }),
          ...(typeof item.holdUntil === 'number' && { holdUntil: item.holdUntil }),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return marks;
  }

  /**
   * Gives a claim from before claims could lapse the hold it would have had: the claim first,
   * then its marks; each write only while it is still unsettled, so a repeat does nothing.
   */
  async settle(name: string, tenant: string, hold: ClaimHold): Promise<void> {
    const update = (key: Record<string, AttributeValue>) =>
      conditionalUpdate(this.client, {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'verified' in hold ? 'SET verified = :verified' : 'SET holdUntil = :holdUntil',
        ConditionExpression: 'tenant = :holder AND attribute_not_exists(verified) AND attribute_not_exists(holdUntil)',
        ExpressionAttributeValues: toItem({ ...holdAttributes(hold, ':'), ':holder': tenant }),
      });
    await update(claimKey(name));
    await Promise.all(parentsOf(name).map((parent) => update(toItem({ pk: claimPk(parent), sk: `${SUB_PREFIX}${name}` }))));
  }
}
