/**
 * The benchmark's batch and campaign runs (bench/bulk-runs.ts) on a local runtime over the test
 * run's DynamoDB Local and SQS emulator, relaying to the benchmark's SMTP sink: every message
 * arrives once, the counters hold that run's requests only, and the figures price them.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsRequestCounter } from '../../bench/aws-counter.ts';
import { runBatches, runCampaign, type RunContext } from '../../bench/bulk-runs.ts';
import { bulkFigures } from '../../bench/figures.ts';
import { InvocationLog } from '../../bench/invocations.ts';
import { tableSchemas } from '../../bench/schemas.ts';
import { startSmtpSink, type SmtpSink } from '../../bench/sink.ts';
import { billedRequestsPerMessage } from '../../bench/targets.ts';
import { streamRecordEvents } from '../../lib/adapters/dynamodb/stream-records.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { uniquePrefix } from '../support/local-aws.ts';
import { startPipeline } from '../support/pipeline.ts';

let sink: SmtpSink;
let runtime: LocalRuntime;
let context: RunContext;

beforeAll(async () => {
  sink = await startSmtpSink();
  const prefix = uniquePrefix();
  const counter = new AwsRequestCounter(`${prefix}-`, tableSchemas());
  runtime = await startPipeline({ prefix, relay: sink.url, instrumentClient: (client) => counter.instrument(client) });
  const invocations = new InvocationLog();
  runtime.handlers.api.use(invocations.timer('api'));
  runtime.handlers.deliver.use(invocations.timer('deliver'));
  runtime.handlers.campaign.use(invocations.timer('campaign'));
  const sent = new Set<string>();
  runtime.handlers.stream.use({
    after: (request: { event: DynamoDBStreamEvent }) => {
      for (const event of request.event.Records.flatMap(streamRecordEvents)) if (event.type === 'sent') sent.add(event.messageId);
    },
  });
  context = {
    runtime,
    sink,
    counter,
    invocations,
    sns: { requests: 0, events: 0 },
    counted: (ids) => ids.every((id) => sent.has(id)),
    progress: () => undefined,
  };
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await sink?.stop();
});

const message = (i: number) => ({
  from: 'Bench <bench@mailroom.example>',
  to: `batch-${i}@example.org`,
  subject: `Batch ${i}`,
  text: 'Hello.',
});

describe('the batch run', () => {
  it('sends every message once, a request per batch, and counts only its own requests', async () => {
    const measure = await runBatches(
      context,
      Array.from({ length: 5 }, (_, i) => message(i)),
      2,
    );
    expect(measure).toMatchObject({ sent: 5, accepted: 5, delivered: 5, apiRequests: 3, errors: [] });
    expect(sink.received()).toBe(5);
    expect(measure.invocations.filter((run) => run.fn === 'api').map((run) => run.batch)).toEqual([1, 1, 1]);
    const figures = bulkFigures('batch', measure, []);
    expect(figures.apiRequestsPerMessage).toBeCloseTo(0.6, 10);
    // The messages of a request are stored together (one BatchWriteItem: their ids are new), then
    // each is claimed and completed (updates); their queued and sent events ride in those writes,
    // so delivery writes no event items of its own.
    const batchWrites = figures.operations.find((op) => op.operation === 'BatchWriteItem');
    expect(batchWrites?.requestsPerMessage).toBeCloseTo(3 / 5, 10);
    expect(figures.operations.find((op) => op.operation === 'UpdateItem')?.requestsPerMessage).toBeGreaterThanOrEqual(2);
    expect(billedRequestsPerMessage(figures.operations)).toBeGreaterThan(2);
    expect(figures.writeUnitsPerMessage).toBeGreaterThan(1);
    expect(figures.cost.total).toBeGreaterThan(0);
  }, 120_000);
});

describe('the campaign run', () => {
  it('imports the list before counting, then sends one message per contact', async () => {
    const measure = await runCampaign(context, 3, { from: 'Bench <bench@mailroom.example>', text: 'Hello {{first_name}}.' });
    expect(measure).toMatchObject({ sent: 3, accepted: 3, delivered: 3, apiRequests: 1, errors: [] });
    expect(sink.received()).toBe(3);
    // One API request (the campaign), none of the list's or the import's.
    expect(measure.invocations.filter((run) => run.fn === 'api')).toHaveLength(1);
    expect(measure.invocations.filter((run) => run.fn === 'campaign').length).toBeGreaterThanOrEqual(1);
    const figures = bulkFigures('campaign', measure, []);
    expect(figures.lambda.map((fn) => fn.name)).toEqual(['api', 'campaign', 'deliver', 'stream']);
    expect(figures.operations.some((op) => op.operation === 'BatchWriteItem')).toBe(true);
  }, 120_000);
});
