/**
 * Moves suppressions stored in the layout before entries had partitions of their own (`pk` =
 * tenant, `sk` = address, no `listKey`) to today's (suppression-keys.ts), then leaves
 * MIGRATED_MARKER, after which the store stops reading the old layout too. Run once after
 * deploying (`npx mailroom migrate-layouts`); local mode runs it at every start, when it
 * finds nothing to move in one Scan. Safe to run again or while mail flows: an entry is
 * written in today's layout before the old item is deleted, where today's layout already has
 * one for the address the precedence rules decide which stays, and until the marker is written
 * the checks read both layouts.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { supersedes } from '../../domain/suppression-precedence.ts';
import type { Suppression } from '../../domain/suppression.ts';
import { markMigrated, type LayoutMigration } from './legacy-layout.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { scanPages } from './scan-pages.ts';
import { entryKey, entryStorage, LIST_KEY, MIGRATED_MARKER } from './suppression-keys.ts';

/** Moves every old-layout item of the suppressions table `tableName`. */
export async function migrateSuppressions(client: DynamoDBClient, tableName: string): Promise<LayoutMigration> {
  const result: LayoutMigration = { found: 0, moved: 0 };
  for await (const page of scanPages(client, {
    TableName: tableName,
    // Old items are the ones without a listing partition; `pk` has no `#` in them.
    FilterExpression: 'attribute_not_exists(#listKey)',
    ExpressionAttributeNames: { '#listKey': LIST_KEY },
  })) {
    for (const item of page) {
      const old = withoutAttributes(item, ['pk', 'sk']) as unknown as Suppression;
      const tenant = String(item.pk);
      const email = String(item.sk);
      if (tenant.includes('#')) continue;
      const entry: Suppression = { ...old, tenant, email };
      const current = await client.send(new GetItemCommand({ TableName: tableName, Key: entryKey(tenant, email), ConsistentRead: true }));
      const existing = current.Item
        ? (withoutAttributes(fromItem(current.Item), ['pk', 'sk', LIST_KEY]) as unknown as Suppression)
        : undefined;
      if (supersedes(entry, existing)) {
        await client.send(new PutItemCommand({ TableName: tableName, Item: toItem({ ...entry, ...entryStorage(tenant, email) }) }));
        result.moved += 1;
      }
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: toItem({ pk: tenant, sk: email }) }));
      result.found += 1;
    }
  }
  await markMigrated(client, tableName, MIGRATED_MARKER);
  return result;
}
