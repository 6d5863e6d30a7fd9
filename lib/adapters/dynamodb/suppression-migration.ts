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
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { supersedes } from '../../domain/suppression-precedence.ts';
import type { Suppression } from '../../domain/suppression.ts';
import { migrateLayout, type LayoutMigration } from './legacy-layout.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { entryKey, entryStorage, LIST_KEY, MIGRATED_MARKER } from './suppression-keys.ts';

/** Moves every old-layout item of the suppressions table `tableName`. */
export function migrateSuppressions(client: DynamoDBClient, tableName: string): Promise<LayoutMigration> {
  return migrateLayout(client, tableName, MIGRATED_MARKER, async (item) => {
    const tenant = String(item.pk);
    const email = String(item.sk);
    const entry: Suppression = { ...(withoutAttributes(item, ['pk', 'sk']) as unknown as Suppression), tenant, email };
    const current = await client.send(new GetItemCommand({ TableName: tableName, Key: entryKey(tenant, email), ConsistentRead: true }));
    const existing = current.Item
      ? (withoutAttributes(fromItem(current.Item), ['pk', 'sk', LIST_KEY]) as unknown as Suppression)
      : undefined;
    if (!supersedes(entry, existing)) return false;
    await client.send(new PutItemCommand({ TableName: tableName, Item: toItem({ ...entry, ...entryStorage(tenant, email) }) }));
    return true;
  });
}
