/**
 * Feeds a DynamoDB stream to a handler the way Lambda's event source does: records in
 * order per shard, a real DynamoDBStreamEvent, retry from the first failed record, and a
 * checkpoint so that a restart resumes where it stopped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { streamSortKeyName, type StreamSourceDef } from '../topology.ts';
import { lambdaContext, type LocalHandler } from './lambda-context.ts';
import type { Poller } from './sqs-poller.ts';

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  handler: LocalHandler<DynamoDBStreamEvent, DynamoDBBatchResponse | void>;
  batchSize: number;
  timeoutSeconds: number;
  /** Retries of a failing record before it is skipped (Lambda's retryAttempts). */
  retryAttempts: number;
  /**
   * How long to keep reading a shard to fill a batch before invoking the handler, as Lambda's
   * MaximumBatchingWindowInSeconds does; 0 (the default) invokes with whatever one read returned.
   */
  maxBatchingWindowMs?: number;
  /** The records the handler gets, as Lambda's filter criteria pass them (streamFilter); all by default. */
  filter?: (record: DynamoDBRecord) => boolean;
  /** File that keeps the last processed sequence number per shard. */
  checkpointFile?: string;
  onError?: (error: unknown) => void;
}

/** A table stream's poller. */
export interface StreamPoller extends Poller {
  /**
   * Resolves at the end of the first pass over the stream's shards that begins after the call
   * and finds nothing new on any of them, without an error: the stream is read to its end.
   * Also resolves when the poller stops.
   */
  caughtUp(): Promise<void>;
}

interface ShardState {
  iterator?: string;
  parent?: string;
  closed: boolean;
}

type Image = Record<string, unknown>;

/**
 * The streams client reads an empty map (`{"M":{}}`) back as `{}`, which no unmarshaller
 * accepts; Lambda would pass the wire JSON as it is. Put the `M` back, at any depth.
 */
export function repairImage(image: Image | undefined): Image | undefined {
  if (!image) return image;
  const repair = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    const av = value as Record<string, unknown>;
    if (Object.keys(av).length === 0) return { M: {} };
    if (av.M && typeof av.M === 'object') return { M: repairImage(av.M as Image) };
    if (Array.isArray(av.L)) return { L: av.L.map(repair) };
    return av;
  };
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repair(value)]));
}

/** The Lambda record for a stream record. */
export function toStreamRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'us-east-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(data.ApproximateCreationDateTime && {
        ApproximateCreationDateTime: Math.floor(data.ApproximateCreationDateTime.getTime() / 1000),
      }),
      Keys: data.Keys as never,
      ...(data.NewImage && { NewImage: repairImage(data.NewImage) as never }),
      ...(data.OldImage && { OldImage: repairImage(data.OldImage) as never }),
      SequenceNumber: data.SequenceNumber ?? '',
      SizeBytes: data.SizeBytes ?? 0,
      StreamViewType: (data.StreamViewType ?? 'NEW_IMAGE') as never,
    },
  };
}

/** What a stream source's filter criteria (lib/topology.ts) let through. */
export function streamFilter(source: StreamSourceDef): (record: DynamoDBRecord) => boolean {
  const sortKeyName = source.sortKey === undefined ? undefined : streamSortKeyName(source);
  return (record) => {
    if (!record.eventName || !source.eventNames.includes(record.eventName)) return false;
    if (sortKeyName !== undefined && record.dynamodb?.Keys?.[sortKeyName]?.S !== source.sortKey) return false;
    return source.withoutAttribute === undefined || record.dynamodb?.NewImage?.[source.withoutAttribute] === undefined;
  };
}

/** Starts polling every shard of the stream; `stop()` lets the batch in flight finish. */
export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn } = options;
  const checkpoints: Record<string, string> =
    options.checkpointFile && existsSync(options.checkpointFile) ? JSON.parse(readFileSync(options.checkpointFile, 'utf8')) : {};
  const shards = new Map<string, ShardState>();
  const failures = new Map<string, number>();
  let running = true;
  let lastDescribe = 0;
  // Callers of caughtUp() waiting for a pass that begins after their call.
  let waiting: (() => void)[] = [];

  const save = () => {
    if (options.checkpointFile) writeFileSync(options.checkpointFile, JSON.stringify(checkpoints));
  };

  const describe = async () => {
    const described = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      if (shard.ShardId && !shards.has(shard.ShardId)) {
        shards.set(shard.ShardId, { closed: false, ...(shard.ParentShardId && { parent: shard.ParentShardId }) });
      }
    }
    lastDescribe = Date.now();
  };

  const iterator = async (shardId: string) => {
    const after = checkpoints[shardId];
    const answer = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return answer.ShardIterator;
  };

  // Returns whether records were handled.
  const poll = async (shardId: string, state: ShardState): Promise<boolean> => {
    const parent = state.parent ? shards.get(state.parent) : undefined;
    if (parent && !parent.closed) return false; // a parent's records come first
    state.iterator ??= await iterator(shardId);
    if (!state.iterator) {
      state.closed = true;
      return false;
    }
    let answer;
    try {
      answer = await client.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: options.batchSize }));
    } catch (error) {
      // DynamoDB Local sometimes trims an iterator taken on an empty shard: take a new one.
      if (['ExpiredIteratorException', 'TrimmedDataAccessException'].includes((error as Error).name)) {
        delete state.iterator;
        return false;
      }
      throw error;
    }
    let records = answer.Records ?? [];
    if (records.length === 0) {
      if (answer.NextShardIterator) state.iterator = answer.NextShardIterator;
      else state.closed = true;
      return false;
    }
    let next = answer.NextShardIterator;
    // As in Lambda, the filter applies before batching: a batch fills with records that pass it.
    const passing = (more: StreamRecord[]) => more.map((r) => toStreamRecord(r, streamArn)).filter((r) => options.filter?.(r) ?? true);
    const passed = passing(records);
    const deadline = Date.now() + (options.maxBatchingWindowMs ?? 0);
    while (passed.length < options.batchSize && next && running && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, deadline - Date.now())));
      try {
        const more = await client.send(new GetRecordsCommand({ ShardIterator: next, Limit: options.batchSize - passed.length }));
        records = records.concat(more.Records ?? []);
        passed.push(...passing(more.Records ?? []));
        next = more.NextShardIterator;
      } catch {
        // The batch so far is handled; the shard is read again from its checkpoint afterwards.
        next = undefined;
        break;
      }
    }
    let failedSequence: string | undefined;
    // A batch the filter empties is done without invoking the handler, as in Lambda.
    if (passed.length > 0) {
      try {
        const response = await options.handler({ Records: passed }, lambdaContext('stream', options.timeoutSeconds));
        failedSequence = response?.batchItemFailures?.[0]?.itemIdentifier;
      } catch (error) {
        options.onError?.(error);
        failedSequence = passed[0]?.dynamodb?.SequenceNumber;
      }
    }
    const failedIndex = failedSequence ? records.findIndex((r) => r.dynamodb?.SequenceNumber === failedSequence) : -1;
    if (failedIndex < 0) {
      checkpoints[shardId] = records[records.length - 1]?.dynamodb?.SequenceNumber ?? checkpoints[shardId] ?? '';
      if (next) state.iterator = next;
      else if (answer.NextShardIterator)
        delete state.iterator; // the read that filled the batch failed: take one from the checkpoint
      else state.closed = true;
      failures.delete(shardId);
    } else {
      const tries = (failures.get(shardId) ?? 0) + 1;
      failures.set(shardId, tries);
      // Past the retry budget the failing record is skipped, as Lambda does before its on-failure destination.
      const keep = tries > options.retryAttempts ? failedIndex : failedIndex - 1;
      if (tries > options.retryAttempts) failures.delete(shardId);
      if (keep >= 0) checkpoints[shardId] = records[keep]?.dynamodb?.SequenceNumber ?? '';
      delete state.iterator;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** tries)));
    }
    save();
    return true;
  };

  const loop = (async () => {
    while (running) {
      const watching = waiting;
      waiting = [];
      let busy = false;
      let failed = false;
      try {
        // A pass someone waits on sees shards opened since the last look, too.
        if (shards.size === 0 || watching.length > 0 || Date.now() - lastDescribe > 10_000) await describe();
        for (const [shardId, state] of shards) {
          if (!running) break;
          if (!state.closed && (await poll(shardId, state))) busy = true;
        }
      } catch (error) {
        failed = true;
        options.onError?.(error);
      }
      if (busy || failed) waiting.unshift(...watching);
      else for (const resolve of watching) resolve();
      if (!busy && running) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const resolve of waiting) resolve();
    waiting = [];
  })();

  return {
    caughtUp() {
      if (!running) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
