/**
 * Suppressions in partitions of their own, on DynamoDB Local: checks read each address's item,
 * listings merge the tenant's shards of the `byTenant` index in address order page by page,
 * and entries of the layout before are moved once, by the precedence rules.
 */
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BY_TENANT, entryKey, listPartition, listShardOf } from '../../../lib/adapters/dynamodb/suppression-keys.ts';
import { migrateSuppressions } from '../../../lib/adapters/dynamodb/suppression-migration.ts';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/suppression-store.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import type { Suppression } from '../../../lib/domain/suppression.ts';
import { SUPPRESSIONS } from '../../../lib/topology.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoSuppressionStore;

beforeAll(async () => {
  table = (await freshTables(client)).suppressions;
  store = new DynamoSuppressionStore(client, table);
});
afterAll(() => client.destroy());

function entry(tenant: string, email: string, extra: Partial<Suppression> = {}): Suppression {
  return { tenant, email, reason: 'hard_bounce', createdAt: iso(), ...extra };
}

/** Addresses in DynamoDB's order (UTF-8 bytes), with some that start others and some not in ASCII. */
function byteOrder(emails: string[]): string[] {
  return [...emails].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

async function listAll(tenant: string, limit: number): Promise<{ emails: string[]; pages: number }> {
  const emails: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.list(tenant, { limit, ...(cursor && { cursor }) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    emails.push(...page.items.map((s) => s.email));
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < 200);
  return { emails, pages };
}

describe('suppressions, an item per address', () => {
  it('keeps each entry in a partition of its own, the address not in it, listed in its shard', async () => {
    const tenant = uniqueId('tenant');
    await store.put(entry(tenant, 'gone@example.com'));
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: entryKey(tenant, 'gone@example.com') }));
    const item = unmarshall(Item ?? {});
    expect(item.pk).toMatch(new RegExp(`^${tenant}#[A-Za-z0-9_-]{22}$`));
    expect(item.pk).not.toContain('gone');
    expect(item.listKey).toBe(listPartition(tenant, listShardOf('gone@example.com')));
    expect(await store.get(tenant, 'gone@example.com')).toEqual(entry(tenant, 'gone@example.com'));
  });

  it('checks many addresses across partitions, for its tenant only', async () => {
    const tenant = uniqueId('tenant');
    const suppressed = Array.from({ length: 40 }, (_, i) => `s${i}@example.com`);
    await Promise.all(suppressed.map((email) => store.put(entry(tenant, email))));
    await store.put(entry(uniqueId('tenant'), 'ok1@example.com'));
    const found = await store.findMany(tenant, [...suppressed, 'ok1@example.com', 'ok2@example.com']);
    expect([...found.keys()].sort()).toEqual([...suppressed].sort());
  });

  it('lists every entry once, in address order, across its shards, whatever the page size', async () => {
    const tenant = uniqueId('tenant');
    const emails = [
      ...Array.from({ length: 50 }, (_, i) => `user${String(i).padStart(2, '0')}@list.example`),
      'ann@x.org',
      'ann@x.orga',
      'ann@x.or',
      'zoë@example.org',
      'zoe@example.org',
      'Émile@example.org',
    ];
    await Promise.all(emails.map((email) => store.put(entry(tenant, email))));
    await store.put(entry(uniqueId('tenant'), 'ann@x.org'));
    expect(new Set(emails.map(listShardOf)).size).toBe(SUPPRESSIONS.listShards);

    for (const limit of [1, 4, 7, 25, 1000]) {
      const { emails: listed, pages } = await listAll(tenant, limit);
      expect(listed, `limit ${limit}`).toEqual(byteOrder(emails));
      expect(pages).toBeLessThanOrEqual(Math.ceil(emails.length / limit) + 1);
    }
    // Each shard holds its share, read by Query on the index.
    const shard0 = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: BY_TENANT,
        KeyConditionExpression: 'listKey = :p',
        ExpressionAttributeValues: marshall({ ':p': listPartition(tenant, 0) }),
      }),
    );
    expect(shard0.Count).toBe(emails.filter((email) => listShardOf(email) === 0).length);
  });

  it('goes on after entries are added and removed between pages, skipping and repeating none that stayed', async () => {
    const tenant = uniqueId('tenant');
    const emails = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}@x.org`);
    await Promise.all(emails.map((email) => store.put(entry(tenant, email))));
    const first = await store.list(tenant, { limit: 8 });
    expect(first.items.map((s) => s.email)).toEqual(emails.slice(0, 8));
    await store.delete(tenant, 'p03@x.org');
    await store.delete(tenant, 'p12@x.org');
    await store.put(entry(tenant, 'p15a@x.org'));
    const rest: string[] = [];
    let cursor = first.cursor;
    while (cursor) {
      const page: { items: Suppression[]; cursor?: string } = await store.list(tenant, { limit: 5, cursor });
      rest.push(...page.items.map((s) => s.email));
      cursor = page.cursor;
    }
    expect(rest).toEqual(byteOrder([...emails.slice(8).filter((e) => e !== 'p12@x.org'), 'p15a@x.org']));
  });

  it('refuses a cursor whose position is an address of another shard, or of another shard count', async () => {
    const tenant = uniqueId('tenant');
    await Promise.all(['a@x.com', 'b@x.com', 'c@x.com'].map((email) => store.put(entry(tenant, email))));
    const { cursor } = await store.list(tenant, { limit: 1 });
    const parsed = JSON.parse(Buffer.from(cursor!, 'base64url').toString()) as { q: string; s: unknown[] };
    const at = parsed.s.findIndex((value) => typeof value === 'string');
    const elsewhere = ['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'e@x.com'].find((email) => listShardOf(email) !== at)!;
    const forged = [
      { ...parsed, s: parsed.s.map((value, i) => (i === at ? elsewhere : value)) },
      { ...parsed, s: [...parsed.s, 0] },
      { ...parsed, s: parsed.s.map((value, i) => (i === at ? 2 : value)) },
    ];
    for (const bad of forged) {
      const answer = store.list(tenant, { limit: 5, cursor: Buffer.from(JSON.stringify(bad)).toString('base64url') });
      await expect(answer).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe('migrateSuppressions', () => {
  /** An entry as the layout before stored it: in the tenant's partition, the address the sort key. */
  async function putOld(item: Suppression): Promise<void> {
    await client.send(new PutItemCommand({ TableName: table, Item: marshall({ ...item, pk: item.tenant, sk: item.email }) }));
  }

  it('moves old entries once, keeping the one the precedence rules say where both layouts hold one', async () => {
    const tenant = uniqueId('tenant');
    const plain = entry(tenant, 'old@x.org', { sourceMessageId: 'm-1', detail: '550 5.1.1' });
    // A person's entry made since the deploy outranks a bounce kept in the old layout…
    const oldBounce = entry(tenant, 'kept@x.org');
    const newManual = entry(tenant, 'kept@x.org', { reason: 'manual', createdAt: iso(5000) });
    // …and a person's old entry outranks a bounce recorded since.
    const oldUnsubscribe = entry(tenant, 'person@x.org', { reason: 'unsubscribe' });
    const newBounce = entry(tenant, 'person@x.org', { createdAt: iso(5000) });
    await Promise.all([plain, oldBounce, oldUnsubscribe].map(putOld));
    await Promise.all([newManual, newBounce].map((e) => store.put(e)));
    // Before the migration, checks read both layouts, and the stronger entry stands.
    const before = new DynamoSuppressionStore(client, table);
    expect(await before.get(tenant, 'old@x.org')).toEqual(plain);
    expect(await before.get(tenant, 'person@x.org')).toEqual(oldUnsubscribe);
    const many = await before.findMany(tenant, ['old@x.org', 'kept@x.org', 'person@x.org', 'fine@x.org']);
    expect(Object.fromEntries(many)).toEqual({ 'old@x.org': plain, 'kept@x.org': newManual, 'person@x.org': oldUnsubscribe });
    // Looked up together with another tenant's addresses in one read, the same entries stand.
    const coalesced = new DynamoSuppressionStore(client, table, { coalesce: { windowMs: 5 } });
    const [mine, theirs] = await Promise.all([
      coalesced.findMany(tenant, ['old@x.org', 'kept@x.org', 'person@x.org', 'fine@x.org']),
      coalesced.findMany(uniqueId('tenant'), ['old@x.org', 'kept@x.org']),
    ]);
    expect(Object.fromEntries(mine)).toEqual(Object.fromEntries(many));
    expect(theirs.size).toBe(0);

    const first = await migrateSuppressions(client, table);
    expect(first.found).toBeGreaterThanOrEqual(3);
    expect(first.moved).toBe(first.found - 1);
    expect(await migrateSuppressions(client, table)).toEqual({ found: 0, moved: 0 });

    expect(await store.get(tenant, 'old@x.org')).toEqual(plain);
    expect(await store.get(tenant, 'kept@x.org')).toEqual(newManual);
    expect(await store.get(tenant, 'person@x.org')).toEqual(oldUnsubscribe);
    expect((await listAll(tenant, 2)).emails).toEqual(['kept@x.org', 'old@x.org', 'person@x.org']);
    const old = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk: tenant, sk: 'old@x.org' }) }));
    expect(old.Item).toBeUndefined();
  });

  it('checks and removes entries of the old layout until the migration has left its marker, and reads only today’s after it', async () => {
    const isolated = (await freshTables(client)).suppressions;
    const tenant = uniqueId('tenant');
    const old = entry(tenant, 'old@x.org', { reason: 'complaint' });
    const put = (item: Suppression) =>
      client.send(new PutItemCommand({ TableName: isolated, Item: marshall({ ...item, pk: item.tenant, sk: item.email }) }));
    await put(old);
    await put(entry(tenant, 'removed@x.org'));
    const upgraded = new DynamoSuppressionStore(client, isolated);
    expect(await upgraded.get(tenant, 'old@x.org')).toEqual(old);
    expect([...(await upgraded.findMany(tenant, ['old@x.org', 'removed@x.org', 'other@x.org'])).keys()].sort()).toEqual([
      'old@x.org',
      'removed@x.org',
    ]);
    // A removal through the API reaches the old layout too.
    expect(await upgraded.delete(tenant, 'removed@x.org')).toBe(true);
    expect(await upgraded.get(tenant, 'removed@x.org')).toBeUndefined();

    expect(await migrateSuppressions(client, isolated)).toEqual({ found: 1, moved: 1 });
    // After the marker, an item left in the old layout (there should be none) is no longer read: one read per address.
    await put(entry(tenant, 'stray@x.org'));
    const migrated = new DynamoSuppressionStore(client, isolated);
    expect(await migrated.get(tenant, 'old@x.org')).toEqual(old);
    expect(await migrated.get(tenant, 'stray@x.org')).toBeUndefined();
  });
});
