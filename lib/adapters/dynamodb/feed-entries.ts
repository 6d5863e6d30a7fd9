/**
 * The feed table's lookup entries of a message (lib/topology.ts TABLES.feed): one per
 * recipient (to, cc and bcc), per tag (`name=value`), for its campaign and for its stored
 * template, each in the message's write shard. Written once, when the message is accepted,
 * never updated (status changes do not touch them), and expiring with the message.
 */
import type { StoredMessage } from '../../domain/message.ts';
import { lookupPartition, lookupSortKey, shardOf, type LookupKind } from './feed-keys.ts';
import { toItem, type Item } from './marshalling.ts';

/** Every filter value of a message that the feed table serves, by kind. */
export function lookupValues(stored: StoredMessage): [LookupKind, string][] {
  const { message } = stored;
  const values: [LookupKind, string][] = [];
  for (const email of new Set(stored.recipients.map((recipient) => recipient.email))) values.push(['to', email]);
  for (const [name, value] of Object.entries(message.tags)) values.push(['tag', `${name}=${value}`]);
  if (message.campaign) values.push(['campaign', message.campaign]);
  if (message.template?.id) values.push(['template', message.template.id]);
  return values;
}

/** The lookup entries of a new message, expiring at `expiresAt` (epoch seconds). */
export function feedEntries(stored: StoredMessage, expiresAt: number): Item[] {
  const { id, tenant, createdAt } = stored.message;
  const shard = shardOf(id);
  const sk = lookupSortKey(createdAt, id);
  return lookupValues(stored).map(([kind, value]) => toItem({ pk: lookupPartition(tenant, kind, value, shard), sk, expiresAt }));
}
