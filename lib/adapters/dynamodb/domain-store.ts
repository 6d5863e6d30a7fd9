/**
 * DomainStore on DynamoDB. Items: `pk = tenant`, `sk = domain name`, plus the SendingDomain
 * fields (the private key only in its encrypted form); beside them, the claims on domain names
 * (see domain-claims.ts), written in the same transactions.
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { claimHoldUntil, domainAndParents, domainTakenError, type SendingDomain } from '../../domain/sending-domain.ts';
import type { ClaimScope, DomainCheckUpdate, DomainStore } from '../../ports/domain-store.ts';
import { conditionalUpdate } from './conditional-update.ts';
import { DomainClaims, isUnsettled, type ClaimHold } from './domain-claims.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { partitionPage } from './partition-page.ts';
import { cancellationCodes, isTransactionConflict } from './transactions.ts';

const STORAGE = ['pk', 'sk'] as const;

function key(tenant: string, name: string) {
  return toItem({ pk: tenant, sk: name });
}

function toDomain(item: Record<string, unknown>): SendingDomain {
  return withoutAttributes(item, STORAGE) as unknown as SendingDomain;
}

/** Attempts of a transaction that other transactions on the same claims cancel. */
const ATTEMPTS = 3;

/** The DomainStore port on the domains table (strongly consistent reads). */
export class DynamoDomainStore implements DomainStore {
  readonly #claims: DomainClaims;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.#claims = new DomainClaims(client, tableName);
  }

  owner(name: string, now: number): Promise<string | undefined> {
    return this.#claims.owner(name, now);
  }

  async claimedByOther(tenant: string, name: string, scope: ClaimScope, now: number): Promise<boolean> {
    if (!(await this.#claims.claimedByOther(tenant, name, scope, now))) return false;
    // A claim from before claims could lapse gets its hold first, then counts as that says.
    if (!(await this.#settleOthers(tenant, name, scope))) return true;
    return this.#claims.claimedByOther(tenant, name, scope, now);
  }

  /**
   * Settles the other tenants' claims in the way that predate lapsing claims: a claim whose domain
   * is verified holds for good, any other held 72 hours from when it was made. Answers whether
   * there were any.
   */
  async #settleOthers(tenant: string, name: string, scope: ClaimScope): Promise<boolean> {
    const names = scope.related ? domainAndParents(name) : [name];
    const claims = await Promise.all(names.map(async (n) => ({ name: n, claim: await this.#claims.read(n) })));
    const marks = scope.related ? await this.#claims.subdomainMarks(tenant, name) : [];
    const unsettled = [
      ...claims.flatMap(({ name: n, claim }) => (claim && claim.tenant !== tenant && isUnsettled(claim) ? [n] : [])),
      ...marks.filter(isUnsettled).map((mark) => mark.name),
    ];
    for (const n of unsettled) {
      const claim = await this.#claims.read(n);
      if (!claim || !isUnsettled(claim)) continue;
      const domain = await this.get(claim.tenant, n);
      const made = claim.claimedAt ?? domain?.createdAt;
      await this.#claims.settle(n, claim.tenant, domain?.verified ? { verified: true } : { holdUntil: made ? claimHoldUntil(made) : 0 });
    }
    return unsettled.length > 0;
  }

  /** Runs a transaction, again when only a concurrent transaction cancelled it. */
  async #transact(items: TransactWriteItem[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !isTransactionConflict(error)) throw error;
      }
    }
  }

  /**
   * The claim is written; with `related`, a subdomain claimed by another tenant meanwhile (its
   * mark is not covered by the transaction's conditions) takes the claim back: at most one of
   * two racing tenants keeps it.
   */
  async #settle(tenant: string, name: string, scope: ClaimScope, now: number, undo: TransactWriteItem[]): Promise<void> {
    if (!scope.related || !(await this.#claims.subdomainClaimedByOther(tenant, name, now))) return;
    await this.#transact([...undo, ...this.#claims.releaseWrites(tenant, name)]);
    throw domainTakenError(name);
  }

  async get(tenant: string, name: string): Promise<SendingDomain | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, name), ConsistentRead: true }));
    return result.Item ? toDomain(fromItem(result.Item)) : undefined;
  }

  async create(domain: SendingDomain, scope: ClaimScope): Promise<{ created: boolean; domain: SendingDomain }> {
    const { tenant, name, createdAt } = domain;
    const now = Date.parse(createdAt);
    try {
      await this.#transact([
        {
          Put: {
            TableName: this.tableName,
            Item: toItem({ ...domain, pk: tenant, sk: name }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...this.#claims.claimWrites(tenant, name, createdAt, { holdUntil: claimHoldUntil(createdAt) }, scope, now),
      ]);
    } catch (error) {
      if (!cancellationCodes(error)) throw error;
      // Which condition failed is read again rather than from the reasons: a claim of another
      // tenant (on the name or a parent), or the tenant's own domain stored meanwhile.
      if (await this.#claims.claimedByOther(tenant, name, scope, now)) throw domainTakenError(name);
      const existing = await this.get(tenant, name);
      // Removed between the failed write and the read: a rare race the caller may retry.
      if (!existing) throw error;
      return { created: false, domain: existing };
    }
    await this.#settle(tenant, name, scope, now, [{ Delete: { TableName: this.tableName, Key: key(tenant, name) } }]);
    return { created: true, domain };
  }

  async claim(tenant: string, name: string, createdAt: string, scope: ClaimScope, now: number): Promise<void> {
    if ((await this.#claims.owner(name, now)) === tenant) return;
    // The hold counts from the domain's registration, so registering it again never extends it.
    await this.#take(tenant, name, createdAt, { holdUntil: claimHoldUntil(createdAt) }, scope, now);
  }

  async confirmClaim(tenant: string, name: string, at: string, scope: ClaimScope, now: number): Promise<boolean> {
    const claim = await this.#claims.read(name);
    if (claim?.tenant === tenant && claim.verified === true) return true;
    try {
      await this.#take(tenant, name, claim?.tenant === tenant ? (claim.claimedAt ?? at) : at, { verified: true }, scope, now);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /** Writes the tenant's claim with the hold given. @throws ConflictError `domain_taken` when another's claim is in the way. */
  async #take(tenant: string, name: string, at: string, hold: ClaimHold, scope: ClaimScope, now: number): Promise<void> {
    try {
      await this.#transact(this.#claims.claimWrites(tenant, name, at, hold, scope, now));
    } catch (error) {
      if (cancellationCodes(error) && (await this.claimedByOther(tenant, name, scope, now))) throw domainTakenError(name);
      throw error;
    }
    await this.#settle(tenant, name, scope, now, []);
  }

  list(tenant: string, options: { limit: number; cursor?: string }): Promise<{ items: SendingDomain[]; cursor?: string }> {
    return partitionPage(this.client, this.tableName, tenant, options, toDomain);
  }

  async saveCheck(tenant: string, name: string, update: DomainCheckUpdate): Promise<SendingDomain> {
    const values: Record<string, unknown> = {
      ':checks': update.checks,
      ':checkedAt': update.checkedAt,
      ':verified': update.verified,
      ':updatedAt': update.checkedAt,
    };
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
    if ((await this.#claims.read(name))?.tenant !== tenant) {
      // Not the claim's holder (another's claim, or a domain stored before claims existed): only the tenant's own item goes.
      const result = await this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: key(tenant, name), ReturnValues: 'ALL_OLD' }),
      );
      return result.Attributes !== undefined;
    }
    try {
      await this.#transact([
        { Delete: { TableName: this.tableName, Key: key(tenant, name), ConditionExpression: 'attribute_exists(pk)' } },
        ...this.#claims.releaseWrites(tenant, name),
      ]);
      return true;
    } catch (error) {
      if (cancellationCodes(error) && !(await this.get(tenant, name))) return false;
      throw error;
    }
  }
}
