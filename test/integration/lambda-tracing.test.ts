/**
 * Tracing as it runs in Lambda, with no X-Ray daemon but a UDP socket standing in for it: the
 * api function's entry point (lambdas/api.ts) runs in a process of its own with Lambda's
 * environment (active tracing, a trace header) and the emulators as its AWS endpoints. One send
 * gives the handler's subsegment, annotated, and under it a subsegment for each DynamoDB and SQS
 * call of the clients its wiring made, all in the invocation's trace; the log lines carry that trace.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { ENV } from '../../lib/env.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { startPipeline } from '../support/pipeline.ts';
import { jsonLines } from '../support/stdout.ts';
import { waitFor } from '../support/wait.ts';
import { apiEvent } from './api/events.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** Invokes the entry's handler once with `EVENT` and a Lambda context, then prints its answer on a line of its own. */
const INVOKE = [
  'const { handler } = await import(process.env.ENTRY);',
  'const { lambdaContext } = await import(process.env.CONTEXT_MODULE);',
  "const answer = await handler(JSON.parse(process.env.EVENT), lambdaContext('api', 30));",
  "process.stdout.write('\\nANSWER ' + JSON.stringify(answer) + '\\n');",
].join(' ');

interface XraySegment {
  name: string;
  id?: string;
  trace_id?: string;
  parent_id?: string;
  namespace?: string;
  annotations?: Record<string, unknown>;
  aws?: { operation?: string };
  subsegments?: XraySegment[];
}

let runtime: LocalRuntime;
let daemon: Socket;
const received: XraySegment[] = [];

beforeAll(async () => {
  runtime = await startPipeline({ pollers: false });
  daemon = createSocket('udp4');
  // Each datagram: a header line, then one segment or subsegment document.
  daemon.on('message', (datagram) => received.push(JSON.parse(datagram.toString('utf8').split('\n')[1] ?? '{}') as XraySegment));
  await new Promise<void>((done) => daemon.bind(0, '127.0.0.1', done));
}, 60_000);
afterAll(async () => {
  daemon?.close();
  await runtime?.stop();
});

/** Every document received, subsegments nested in them included. */
function allSegments(): XraySegment[] {
  const out: XraySegment[] = [];
  const walk = (segment: XraySegment) => {
    out.push(segment);
    for (const child of segment.subsegments ?? []) walk(child);
  };
  received.forEach(walk);
  return out;
}

describe('tracing in Lambda', () => {
  it('traces the handler and every DynamoDB and SQS call of a send, in the invocation’s trace', async () => {
    const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
    const event = apiEvent('POST', '/v1/messages', {
      key: runtime.apiKey,
      body: { from: 'app@example.com', to: 'ann@example.org', subject: 'Traced', text: 'Hi.' },
    });
    const { port } = daemon.address() as AddressInfo;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', INVOKE], {
      cwd: ROOT,
      timeout: 120_000,
      env: {
        ...process.env,
        ...runtime.env,
        // Buckets are named but not called on a send.
        [ENV.exportBucket]: 'mailroom-tracing-exports',
        [ENV.importBucket]: 'mailroom-tracing-imports',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
        AWS_ENDPOINT_URL_SQS: inject('sqsEndpoint'),
        // What Lambda sets for a function with active tracing.
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_LAMBDA_FUNCTION_NAME: 'mailroom-api',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        LAMBDA_TASK_ROOT: ROOT,
        _HANDLER: 'index.handler',
        _X_AMZN_TRACE_ID: `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=1`,
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_TRACE_ENABLED: 'true',
        EVENT: JSON.stringify(event),
        ENTRY: resolve(ROOT, 'lambdas/api.ts'),
        CONTEXT_MODULE: resolve(ROOT, 'lib/local/lambda-context.ts'),
      },
    });
    const lines = stdout.split('\n');
    const answer = JSON.parse(lines.find((line) => line.startsWith('ANSWER '))!.slice('ANSWER '.length));
    expect(answer.statusCode).toBe(202);

    const segments = await waitFor(
      () => allSegments(),
      (all) => all.some((s) => s.name === '## index.handler'),
      { message: "the handler's subsegment at the stand-in daemon", timeout: 10_000 },
    );
    const handler = segments.find((s) => s.name === '## index.handler')!;
    expect(handler).toMatchObject({ trace_id: root, annotations: { ColdStart: true, Service: 'mailroom' } });
    const calls = segments.filter((s) => s.namespace === 'aws');
    expect(new Set(calls.map((s) => s.name))).toEqual(new Set(['DynamoDB', 'SQS']));
    expect(calls.map((s) => s.aws?.operation)).toEqual(expect.arrayContaining(['GetItem', 'BatchWriteItem', 'SendMessageBatch']));
    // Each call in the trace, under the handler's subsegment.
    for (const call of calls) expect(call).toMatchObject({ trace_id: root, parent_id: handler.id });

    // The logs name the trace, beside the request id.
    const accepted = jsonLines(lines).find((line) => line.message === 'message accepted');
    expect(accepted).toMatchObject({ xray_trace_id: root, function_name: 'mailroom-api', cold_start: true });
  });
});
