import { describe, expect, it } from 'vitest';
import {
  billedDurationMs,
  costPerMillion,
  gbSeconds,
  httpApiRequests,
  PRICES,
  snsPublishRequests,
  type Usage,
} from '../../../bench/cost.ts';

describe('billing units', () => {
  it('rounds Lambda durations up to the millisecond, at least one', () => {
    expect(billedDurationMs(0.2)).toBe(1);
    expect(billedDurationMs(10)).toBe(10);
    expect(billedDurationMs(10.01)).toBe(11);
  });

  it('converts milliseconds at a memory size into GB-seconds', () => {
    expect(gbSeconds(1000, 1024)).toBe(1);
    expect(gbSeconds(1000, 512)).toBe(0.5);
    expect(gbSeconds(250, 256)).toBe(0.0625);
  });

  it('bills HTTP API requests per started 512 KB', () => {
    expect(httpApiRequests(0)).toBe(1);
    expect(httpApiRequests(512 * 1024)).toBe(1);
    expect(httpApiRequests(512 * 1024 + 1)).toBe(2);
  });

  it('publishes to SNS in batches of 10, each billed per started 64 KB', () => {
    expect(snsPublishRequests([])).toBe(0);
    expect(snsPublishRequests(Array(10).fill(500))).toBe(1);
    expect(snsPublishRequests(Array(25).fill(500))).toBe(3);
    // Two 40 KB events share one batch of 80 KB: two chunks.
    expect(snsPublishRequests([40_000, 40_000])).toBe(2);
    expect(snsPublishRequests([1000, 1000, 1000], 1)).toBe(3);
  });
});

describe('costPerMillion', () => {
  const usage: Usage = {
    messages: 1000,
    lambda: [{ name: 'api', memoryMb: 512, invocations: 1000, billedMs: 20_000 }],
    sqsRequests: 1500,
    dynamoReadUnits: 4000,
    dynamoWriteUnits: 30_000,
    apiRequests: 1000,
    snsRequests: 200,
  };

  it('prices each quantity per million messages', () => {
    const cost = costPerMillion(usage);
    const line = (item: string) => cost.lines.find((l) => l.item === item)!;
    expect(line('api requests').usdPerMillion).toBeCloseTo(0.2, 10);
    // 20 s at 0.5 GB for 1000 messages: 0.01 GB-s per message, 10,000 GB-s per million.
    expect(line('api compute (512 MB)').perMessage).toBeCloseTo(0.01, 12);
    expect(line('api compute (512 MB)').usdPerMillion).toBeCloseTo(0.133334, 6);
    expect(line('requests').usdPerMillion).toBeCloseTo(0.6, 10);
    expect(line('writes').perMessage).toBe(30);
    expect(line('writes').usdPerMillion).toBeCloseTo(18.75, 10);
    expect(line('reads').usdPerMillion).toBeCloseTo(0.5, 10);
    expect(line('HTTP API requests').usdPerMillion).toBeCloseTo(1, 10);
    expect(line('publish requests').usdPerMillion).toBeCloseTo(0.1, 10);
  });

  it('sums by service and in total', () => {
    const cost = costPerMillion(usage);
    expect(cost.byService.Lambda).toBeCloseTo(0.333334, 6);
    expect(cost.byService.SQS).toBeCloseTo(0.6, 10);
    expect(cost.byService.DynamoDB).toBeCloseTo(19.25, 10);
    expect(cost.byService['API Gateway']).toBeCloseTo(1, 10);
    expect(cost.byService.SNS).toBeCloseTo(0.1, 10);
    expect(cost.total).toBeCloseTo(21.283334, 6);
  });

  it('scales with the prices given', () => {
    const doubled = { ...PRICES, dynamodb: { writeUnit: PRICES.dynamodb.writeUnit * 2, readUnit: PRICES.dynamodb.readUnit * 2 } };
    expect(costPerMillion(usage, doubled).byService.DynamoDB).toBeCloseTo(38.5, 10);
  });

  it('needs at least one message', () => {
    expect(() => costPerMillion({ ...usage, messages: 0 })).toThrow(RangeError);
  });
});
