import { describe, expect, it } from 'vitest';
import { emptyCount, type OperationCount } from '../../../bench/aws-counter.ts';
import type { BulkMeasure } from '../../../bench/bulk-runs.ts';
import { costPerMillion, PRICES } from '../../../bench/cost.ts';
import { bulkFigures, operationsPerMessage, priceRun } from '../../../bench/figures.ts';
import type { LambdaResult } from '../../../bench/report.ts';
import { billedRequestsPerMessage } from '../../../bench/targets.ts';

const count = (service: string, operation: string, figures: Partial<OperationCount>): OperationCount => ({
  ...emptyCount(service, operation),
  ...figures,
});

/** 100 messages in one batch request: what the counters might hold. */
const measure: BulkMeasure = {
  sent: 100,
  accepted: 100,
  delivered: 100,
  deliveredPerSecond: 50,
  aws: {
    operations: [
      count('DynamoDB', 'PutItem', { requests: 200, billedRequests: 200, writeUnits: 300 }),
      count('DynamoDB', 'BatchGetItem', { requests: 20, billedRequests: 20, readUnits: 200 }),
      count('SQS', 'SendMessageBatch', { requests: 10, billedRequests: 10 }),
      count('SQS', 'ReceiveMessage', { requests: 40, billedRequests: 10, empty: 30 }),
      count('SQS', 'ReceiveMessage (idle)', { requests: 5, billedRequests: 0, empty: 5 }),
      count('DynamoDBStreams', 'GetRecords', { requests: 12, billedRequests: 12 }),
    ],
    tables: {},
    transactionUnitsReportedByDynamoDbLocal: 0,
  },
  invocations: [
    { fn: 'api', durationMs: 199.2, batch: 1, failed: false },
    ...Array.from({ length: 10 }, () => ({ fn: 'deliver', durationMs: 500, batch: 10, failed: false })),
    { fn: 'stream', durationMs: 40, batch: 100, failed: false },
  ],
  apiRequests: 1,
  snsRequests: 20,
  snsEvents: 200,
  errors: [],
};

const single = (name: string, memoryMb: number, gbSecondsPerMessage: number) => ({ name, memoryMb, gbSecondsPerMessage }) as LambdaResult;

describe('operationsPerMessage', () => {
  it('prices what is billed, not the free stream reads or polls that found nothing', () => {
    const ops = operationsPerMessage(measure.aws, 100);
    expect(ops.map((op) => [op.operation, op.priced])).toEqual([
      ['PutItem', true],
      ['BatchGetItem', true],
      ['SendMessageBatch', true],
      ['ReceiveMessage', true],
      ['ReceiveMessage (idle)', false],
      ['GetRecords', false],
    ]);
    // 2 puts, 0.2 batch gets, 0.1 sends, 0.1 receives that brought messages
    expect(billedRequestsPerMessage(ops)).toBeCloseTo(2.4, 10);
  });
});

describe('bulkFigures', () => {
  const figures = bulkFigures('batch', measure, [single('api', 512, 0.01), single('deliver', 512, 0.02), single('stream', 256, 0.005)]);

  it('times the api function in the run itself, deliver and stream from the single sends one at a time', () => {
    expect(figures.lambda).toEqual([
      // 200 billed ms at 0.5 GB over 100 messages
      expect.objectContaining({
        name: 'api',
        invocations: 1,
        invocationsPerMessage: 0.01,
        gbSecondsPerMessage: 0.001,
        computeFrom: 'this run',
      }),
      expect.objectContaining({
        name: 'deliver',
        invocations: 10,
        meanBatch: 10,
        gbSecondsPerMessage: 0.02,
        computeFrom: 'single sends one at a time',
      }),
      expect.objectContaining({ name: 'stream', invocations: 1, gbSecondsPerMessage: 0.005, computeFrom: 'single sends one at a time' }),
    ]);
  });

  it('counts units, API Gateway and SNS per delivered message and prices them as the single run is priced', () => {
    expect(figures).toMatchObject({ writeUnitsPerMessage: 3, readUnitsPerMessage: 2, apiRequestsPerMessage: 0.01 });
    expect(figures.sns.publishRequestsPerMessage).toBe(0.2);
    const expected = costPerMillion({
      messages: 100,
      lambda: [
        { name: 'api', memoryMb: 512, invocations: 1, billedMs: 200 },
        { name: 'deliver', memoryMb: 512, invocations: 10, billedMs: 4000 },
        { name: 'stream', memoryMb: 256, invocations: 1, billedMs: 2000 },
      ],
      sqsRequests: 20,
      dynamoReadUnits: 200,
      dynamoWriteUnits: 300,
      apiRequests: 1,
      snsRequests: 20,
    });
    expect(figures.cost.total).toBeCloseTo(expected.total, 10);
    // 3 WRU $1.875, 2 RRU $0.25, 0.2 SQS $0.08, 0.01 API $0.01, 0.2 SNS $0.10, Lambda 0.12 requests $0.024 and compute
    const compute = (0.001 + 0.02 + 0.005) * PRICES.lambda.gbSecond * 1e6;
    expect(figures.cost.total).toBeCloseTo(1.875 + 0.25 + 0.08 + 0.01 + 0.1 + 0.024 + compute, 6);
  });

  it('adds the campaign function to a campaign run, timed in the run', () => {
    const campaign = bulkFigures(
      'campaign',
      { ...measure, invocations: [...measure.invocations, { fn: 'campaign', durationMs: 1000, batch: 1, failed: false }] },
      [single('deliver', 512, 0.02), single('stream', 256, 0.005)],
    );
    expect(campaign.lambda.map((fn) => [fn.name, fn.computeFrom])).toEqual([
      ['api', 'this run'],
      ['campaign', 'this run'],
      ['deliver', 'single sends one at a time'],
      ['stream', 'single sends one at a time'],
    ]);
  });

  it('prices a run from per-message compute', () => {
    const cost = priceRun({
      delivered: 10,
      operations: [],
      lambda: [{ name: 'api', memoryMb: 1024, invocations: 10, gbSecondsPerMessage: 0.1 }],
      apiRequests: 10,
      snsRequests: 0,
    });
    expect(cost.lines.find((line) => line.item === 'api compute (1024 MB)')?.perMessage).toBeCloseTo(0.1, 10);
  });
});
