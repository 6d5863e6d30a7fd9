/**
 * Moves unsubscribes stored in the layout before entries had partitions per address (`pk` =
 * tenant, `sk` = `<scope>#<email>`) to today's (unsubscribe-store.ts), then leaves
 * UNSUBSCRIBES_MIGRATED, after which the store stops reading the old layout too. Safe to run
 * again or while mail flows: an entry is written in today's layout (unless one is there already:
 * the same person and scope, recorded since) before the old item is deleted, and until the
 * marker is written lookups read both layouts.
 */
import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Unsubscribe } from '../../domain/mailing-list.ts';
import { migrateLayout, type LayoutMigration } from './legacy-layout.ts';
import { toItem, withoutAttributes } from './marshalling.ts';
import { UNSUBSCRIBES_MIGRATED, unsubscribeKey } from './unsubscribe-store.ts';

/** Moves every old-layout item of the unsubscribes table `tableName`. */
export function migrateUnsubscribes(client: DynamoDBClient, tableName: string): Promise<LayoutMigration> {
  return migrateLayout(client, tableName, UNSUBSCRIBES_MIGRATED, async (item) => {
    const entry = withoutAttributes(item, ['pk', 'sk']) as unknown as Unsubscribe;
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem({ ...entry, ...unsubscribeKey(entry.tenant, entry.email, entry.listId) }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  });
}
