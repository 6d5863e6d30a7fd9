/**
 * Each of the eight functions as Lambda runs it: the handler built from its wiring with no log
 * of the test's own (so with Powertools' logger, tracer and metrics middlewares), invoked with a
 * Lambda context, over DynamoDB Local and the SQS emulator. Every log line of an invocation
 * carries its request id, function name and cold start; the functions that count something
 * write their EMF documents (namespace `mailroom`) after the invocation, the others none. The
 * tracer is off (POWERTOOLS_TRACE_ENABLED=false; lambda-tracing.test.ts runs it on).
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeEvent } from '../../lib/domain/events.ts';
import { createApiHandler } from '../../lib/handlers/api-handler.ts';
import { createCampaignHandler } from '../../lib/handlers/campaign-handler.ts';
import { createDeliverHandler } from '../../lib/handlers/deliver-handler.ts';
import { createExportHandler } from '../../lib/handlers/export-handler.ts';
import { createImportHandler } from '../../lib/handlers/import-handler.ts';
import { createSesEventsHandler } from '../../lib/handlers/ses-events-handler.ts';
import { createStreamHandler } from '../../lib/handlers/stream-handler.ts';
import { createTrackHandler } from '../../lib/handlers/track-handler.ts';
import type { ApiResponse } from '../../lib/http/response.ts';
import { lambdaContext } from '../../lib/local/lambda-context.ts';
import { DEV_TENANT, type LocalRuntime } from '../../lib/local/runtime.ts';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../lib/observability/metric-names.ts';
import type { BlobStore } from '../../lib/ports/blob-store.ts';
import type { ImportBodyStore } from '../../lib/ports/import-body-store.ts';
import {
  wireApi,
  wireCampaign,
  wireDeliver,
  wireExport,
  wireImport,
  wireSesEvents,
  wireStream,
  wireTrack,
  type WiringOverrides,
} from '../../lib/wiring.ts';
import { MemoryNotifier, MemoryRelay } from '../support/fakes/index.ts';
import { startPipeline } from '../support/pipeline.ts';
import { SES_BOUNCE_TYPES, aboutMessage, bounceRecord, snsEnvelope, sqsEvent } from '../support/ses-events.ts';
import { captureOutput, emfDocuments, jsonLines } from '../support/stdout.ts';
import { waitFor } from '../support/wait.ts';
import { apiEvent } from './api/events.ts';

const RECIPIENT = 'ann@example.org';

let runtime: LocalRuntime;
let overrides: WiringOverrides;

beforeAll(async () => {
  // Read by Powertools when the wiring makes its logger, metrics and tracer.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', undefined);
  vi.stubEnv('POWERTOOLS_DEV', undefined);
  // As Lambda sets it for a function without provisioned concurrency: Powertools reports cold starts then.
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  // Tables, queues, the dev tenant and its key; nothing polls: the test invokes each handler itself.
  runtime = await startPipeline({ pollers: false });
  const notifier = new MemoryNotifier();
  // Publishing fails, so that the stream function has a notification failure to count.
  notifier.failing = true;
  overrides = {
    dynamo: runtime.dynamo,
    sqs: runtime.sqs,
    relay: new MemoryRelay(),
    notifier,
    // No export files or import bodies are written here.
    blobs: {} as BlobStore,
    importBodies: {} as ImportBodyStore,
  };
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await runtime?.stop();
});

interface Invocation<R> {
  answer: R;
  context: Context;
  /** The invocation's JSON log lines (those with a level and a message). */
  logs: Record<string, unknown>[];
  /** Its EMF documents. */
  emf: ReturnType<typeof emfDocuments>;
}

/** Invokes `handler` with a fresh Lambda context of function `name`, capturing what it writes. */
async function invoke<E, R>(name: string, handler: (event: E, context: Context) => Promise<R>, event: E): Promise<Invocation<R>> {
  const context = lambdaContext(name, 60);
  const { result, lines } = await captureOutput(() => handler(event, context));
  const json = jsonLines(lines);
  return { answer: result, context, logs: json.filter((line) => 'level' in line && 'message' in line), emf: emfDocuments(json) };
}

/** Every log line of the invocation names it; `message` is among them. */
function expectContextInLogs(invocation: Invocation<unknown>, fn: string, message: string, coldStart = true): void {
  expect(invocation.logs.map((line) => line.message)).toContain(message);
  for (const line of invocation.logs) {
    expect(line).toMatchObject({
      function_request_id: invocation.context.awsRequestId,
      function_name: invocation.context.functionName,
      function_arn: invocation.context.invokedFunctionArn,
      cold_start: coldStart,
      service: METRICS_SERVICE,
      function: fn,
    });
  }
}

/** The values of metric `name` across the invocation's EMF documents, with the dimensions of each. */
function metricValues(invocation: Invocation<unknown>, name: string): { value: unknown; dimensions: Record<string, unknown> }[] {
  return invocation.emf
    .filter((document) => document._aws.CloudWatchMetrics[0]!.Metrics.some((metric) => metric.Name === name))
    .map((document) => {
      const directive = document._aws.CloudWatchMetrics[0]!;
      expect(directive.Namespace).toBe(METRICS_NAMESPACE);
      const keys = directive.Dimensions[0] ?? [];
      return { value: document[name], dimensions: Object.fromEntries(keys.map((key) => [key, document[key]])) };
    });
}

function sqsRecordsOf(bodies: string[]): SQSEvent {
  return sqsEvent(...bodies);
}

let messageId: string;

describe('the functions as Lambda runs them: request ids in the logs, EMF metrics', () => {
  it('api: a send logs with the request id and counts the accepted recipient', async () => {
    const handler = createApiHandler(wireApi(runtime.env, overrides));
    const event = apiEvent('POST', '/v1/messages', {
      key: runtime.apiKey,
      body: { from: 'app@example.com', to: RECIPIENT, subject: 'Hello', text: 'Hi.' },
    });
    const sent = await invoke('api', handler, event);
    expect((sent.answer as ApiResponse).statusCode).toBe(202);
    messageId = JSON.parse((sent.answer as ApiResponse).body as string).id;
    expectContextInLogs(sent, 'api', 'message accepted');
    expect(metricValues(sent, METRIC.accepted)).toEqual([{ value: 1, dimensions: { service: METRICS_SERVICE } }]);
  });

  it('deliver: an attempt logs with the request id and counts the send, its answer time and latency, per relay', async () => {
    const handler = createDeliverHandler(await wireDeliver(runtime.env, overrides));
    const received = await waitFor(
      async () =>
        (
          await runtime.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: runtime.queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, AttributeNames: ['All'] }),
          )
        ).Messages ?? [],
      (messages) => messages.length > 0,
      { message: 'the delivery job on the send queue', timeout: 20_000 },
    );
    const event = sqsRecordsOf(received.map((m) => m.Body!));
    const delivered = await invoke('deliver', handler, event);
    expect(delivered.answer).toEqual({ batchItemFailures: [] });
    expectContextInLogs(delivered, 'deliver', 'delivery attempt finished');
    const relay = { service: METRICS_SERVICE, Relay: 'smtp' };
    expect(metricValues(delivered, METRIC.sent)).toEqual([{ value: 1, dimensions: relay }]);
    expect(metricValues(delivered, METRIC.relayAnswerTime)).toEqual([{ value: expect.any(Number), dimensions: relay }]);
    expect(metricValues(delivered, METRIC.acceptToSent)).toEqual([{ value: expect.any(Number), dimensions: relay }]);
  });

  it('stream: a notification that cannot be published logs with the request id and is counted', async () => {
    const handler = createStreamHandler(wireStream(runtime.env, overrides));
    const sent = makeEvent({
      messageId,
      tenant: DEV_TENANT,
      recipient: RECIPIENT,
      type: 'sent',
      at: new Date().toISOString(),
      attempt: 1,
      tags: {},
      detail: { relay: 'smtp' },
    });
    const event: DynamoDBStreamEvent = {
      Records: [
        {
          eventID: '1',
          eventName: 'INSERT',
          eventSource: 'aws:dynamodb',
          awsRegion: 'us-east-1',
          dynamodb: {
            SequenceNumber: '100',
            // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's and aws-lambda's AttributeValue types differ only in name
            NewImage: marshall(sent, { removeUndefinedValues: true }) as any,
            StreamViewType: 'NEW_IMAGE',
          },
        },
      ],
    };
    const streamed = await invoke('stream', handler, event);
    expect(streamed.answer).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
    expectContextInLogs(streamed, 'stream', 'publishing events failed; retrying the batch');
    expect(metricValues(streamed, METRIC.notificationFailures)).toEqual([{ value: 1, dimensions: { service: METRICS_SERVICE } }]);
  });

  it('ses-events: a bounce SES reports logs with the request id and is counted as ses and hard', async () => {
    const handler = createSesEventsHandler(wireSesEvents(runtime.env, overrides));
    const hard = SES_BOUNCE_TYPES.find((kind) => kind.hard)!;
    const record = aboutMessage(bounceRecord(hard), { id: messageId, tenant: DEV_TENANT, sesMessageId: 'ses-1', recipients: [RECIPIENT] });
    const reported = await invoke('ses-events', handler, sqsRecordsOf([snsEnvelope(record)]));
    expect(reported.answer).toEqual({ batchItemFailures: [] });
    expectContextInLogs(reported, 'ses-events', 'SES event recorded');
    expect(metricValues(reported, METRIC.bounced)).toEqual([
      { value: 1, dimensions: { service: METRICS_SERVICE, Relay: 'ses', BounceType: 'hard' } },
    ]);
  });

  it('track: a refused conversion pixel logs with the request id; nothing is counted', async () => {
    const handler = createTrackHandler(await wireTrack(runtime.env, overrides));
    const pixel = await invoke('track', handler, apiEvent('GET', '/t/v/not-a-token', { query: { value: 'lots' } }));
    expect((pixel.answer as ApiResponse).headers?.['content-type']).toBe('image/gif');
    expectContextInLogs(pixel, 'track', 'conversion pixel refused');
    expect(pixel.emf).toEqual([]);
  });

  it('export, import and campaign: a record that is not a job logs with the request id; nothing is counted', async () => {
    const handlers = {
      export: { handler: createExportHandler(wireExport(runtime.env, overrides)), message: 'not an export task' },
      import: { handler: createImportHandler(wireImport(runtime.env, overrides)), message: 'not an import task' },
      campaign: { handler: createCampaignHandler(await wireCampaign(runtime.env, overrides)), message: 'not a campaign job' },
    };
    for (const [name, { handler, message }] of Object.entries(handlers)) {
      const first = await invoke(name, handler, sqsRecordsOf(['{"not":"a job"}']));
      expect(first.answer).toEqual({ batchItemFailures: [] });
      expectContextInLogs(first, name, message);
      expect(first.emf).toEqual([]);
      // The next invocation of the same container is warm, with a request id of its own.
      const second = await invoke(name, handler, sqsRecordsOf(['{"not":"a job"}']));
      expectContextInLogs(second, name, message, false);
      expect(second.context.awsRequestId).not.toBe(first.context.awsRequestId);
    }
  });
});
