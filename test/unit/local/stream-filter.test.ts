/** What local mode's stream filter lets through: the topology's filter criteria, as Lambda applies them in AWS. */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { streamFilter } from '../../../lib/local/stream-poller.ts';
import { STREAM_SOURCES, streamSortKeyName, TABLES } from '../../../lib/topology.ts';

const messages = STREAM_SOURCES.find((source) => source.table === 'messages')!;
const events = STREAM_SOURCES.find((source) => source.table === 'events')!;

/** A record of `eventName` for the item with sort key `sk`, its new image holding `newImage`. */
function record(eventName: DynamoDBRecord['eventName'], sk: string, newImage: Record<string, unknown> = {}): DynamoDBRecord {
  const keys = { pk: { S: 'm1' }, [TABLES.messages.sortKey.name]: { S: sk } };
  return { eventName, dynamodb: { Keys: keys, NewImage: { ...keys, ...newImage } as never } } as DynamoDBRecord;
}

describe('the local stream filter', () => {
  it("compares a source's sort key with its table's sort key attribute", () => {
    expect(streamSortKeyName(messages)).toBe(TABLES.messages.sortKey.name);
  });

  it('passes message items written without a lease, and nothing else of the messages table', () => {
    const pass = streamFilter(messages);
    expect(pass(record('INSERT', messages.sortKey!))).toBe(true);
    expect(pass(record('MODIFY', messages.sortKey!, { status: { S: 'sent' } }))).toBe(true);
    // A claim (it holds the lease), a body item, and a removal by TTL.
    expect(pass(record('MODIFY', messages.sortKey!, { leaseUntil: { N: '1' } }))).toBe(false);
    expect(pass(record('INSERT', 'b'))).toBe(false);
    expect(pass(record('REMOVE', messages.sortKey!))).toBe(false);
  });

  it('passes every new event and no removal', () => {
    const pass = streamFilter(events);
    expect(pass(record('INSERT', '2026-12-07T00:00:00.000Z#e1'))).toBe(true);
    expect(pass(record('REMOVE', '2026-12-07T00:00:00.000Z#e1'))).toBe(false);
  });
});
