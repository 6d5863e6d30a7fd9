/**
 * `npm run bench`: runs mailroom's local mode end to end against an SMTP sink, then the same
 * messages straight through a nodemailer pool to the same sink, counts the AWS requests the
 * pipeline made, prices them, measures the Lambda bundles, prints a table and writes the
 * same figures to bench/results/latest.json.
 *
 *   npm run bench -- --messages 2000 --concurrency 10 --size 1024
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import nodemailer from 'nodemailer';
import { toNotification } from '../lib/adapters/sns/notification.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../lib/adapters/smtp/smtp-url.ts';
import { streamRecordEvents } from '../lib/adapters/dynamodb/stream-records.ts';
import { startLocal, type LocalRuntime } from '../lib/local/runtime.ts';
import { EVENT_SOURCES, FUNCTIONS } from '../lib/topology.ts';
import { AwsRequestCounter, type CounterSnapshot } from './aws-counter.ts';
import { runBatches, runCampaign, type BulkMeasure, type RunContext } from './bulk-runs.ts';
import { silent, waitUntil } from './local-run.ts';
import { DEFAULT_RESULTS, updateReadme } from './readme.ts';
import { tableSchemas } from './schemas.ts';
import { measureBundles, type BundleResult } from './bundles.ts';
import { gbSeconds, httpApiRequests, PRICES, snsPublishRequests } from './cost.ts';
import { cpuReading, cpuSpent } from './cpu.ts';
import { billedMs, bulkFigures, operationsPerMessage, priceRun } from './figures.ts';
import { InvocationLog, type Invocation } from './invocations.ts';
import { formatReport, type BaselineResult, type BenchResults, type LambdaResult, type PipelineResult } from './report.ts';
import { startSmtpSink, type SmtpSink } from './sink.ts';
import { ratePerSecond, summarize } from './stats.ts';
import { evaluateTargets } from './targets.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PREFIX = 'bench';

const USAGE = `npm run bench -- [options]

  --messages <n>             messages per run (default 2000)
  --concurrency <n>          concurrent API clients, and concurrent senders of the baseline (default 10)
  --deliver-concurrency <n>  delivery pollers, Lambda's concurrency (default ${EVENT_SOURCES.deliver.defaultMaxConcurrency})
  --size <bytes>             text body of each message (default 1024)
  --warmup <n>               messages sent and delivered before measuring, each run (default 50)
  --isolated <n>             messages sent one at a time afterwards, to time the functions
                             without contention (default 50)
  --init-runs <n>            fresh processes per bundle for the load time (default 5)
  --batch-size <n>           messages per POST /v1/messages/batch request in the batch run (default 100)
  --skip-bundles             leave the bundles out
  --skip-batch               leave the batch run out
  --skip-campaign            leave the campaign run out
  --out <file>               where the JSON goes (default bench/results/latest.json, which also
                             rewrites the README's benchmark section)
  --json                     print the JSON instead of the table
`;

interface Options {
  messages: number;
  concurrency: number;
  deliverConcurrency: number;
  size: number;
  warmup: number;
  isolated: number;
  initRuns: number;
  batchSize: number;
  skipBundles: boolean;
  skipBatch: boolean;
  skipCampaign: boolean;
  out: string;
  json: boolean;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '10' },
      'deliver-concurrency': { type: 'string', default: String(EVENT_SOURCES.deliver.defaultMaxConcurrency) },
      size: { type: 'string', default: '1024' },
      warmup: { type: 'string', default: '50' },
      isolated: { type: 'string', default: '50' },
      'init-runs': { type: 'string', default: '5' },
      'batch-size': { type: 'string', default: '100' },
      'skip-bundles': { type: 'boolean', default: false },
      'skip-batch': { type: 'boolean', default: false },
      'skip-campaign': { type: 'boolean', default: false },
      out: { type: 'string', default: DEFAULT_RESULTS },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const whole = (name: string, raw: string, min: number, max: number) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  return {
    messages: whole('messages', values.messages, 1, 1_000_000),
    concurrency: whole('concurrency', values.concurrency, 1, 1000),
    deliverConcurrency: whole('deliver-concurrency', values['deliver-concurrency'], 1, 1000),
    size: whole('size', values.size, 1, 200 * 1024),
    warmup: whole('warmup', values.warmup, 0, 100_000),
    isolated: whole('isolated', values.isolated, 1, 10_000),
    initRuns: whole('init-runs', values['init-runs'], 1, 100),
    batchSize: whole('batch-size', values['batch-size'], 1, 100),
    skipBundles: values['skip-bundles'],
    skipBatch: values['skip-batch'],
    skipCampaign: values['skip-campaign'],
    out: resolve(values.out),
    json: values.json,
  };
}

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Plain text of exactly `bytes` ASCII bytes, in lines of at most 72 characters. */
/**
 * `bytes` of plain prose: sentences of words drawn from a vocabulary by a fixed seed, lines of
 * up to 72 characters. It compresses about as well as real mail text (mailroom stores bodies
 * deflated), where one sentence repeated would compress far better than any real message.
 */
function bodyText(bytes: number): string {
  const vocabulary = (
    'the a your our this that order account invoice payment receipt shipment delivery update ' +
    'thank you for with from about today tomorrow week month team support customer service ' +
    'please review confirm reset password sign in link below above details attached summary ' +
    'has have been was will can may should would could we they it is are be not all any each ' +
    'new recent next last first final total amount due date time number reference status ready ' +
    'shipped arrived pending approved changed saved requested received questions reply contact ' +
    'help center settings profile security notice important information message mailroom ' +
    'product plan subscription renewal trial upgrade billing address card ending in and or if'
  ).split(' ');
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  let text = '';
  let line = '';
  let sentence = 0;
  while (text.length + line.length < bytes) {
    let word = vocabulary[Math.floor(next() * vocabulary.length)]!;
    if (sentence === 0) word = word[0]!.toUpperCase() + word.slice(1);
    sentence += 1;
    if (sentence > 6 + Math.floor(next() * 10)) {
      word += next() < 0.8 ? '.' : ',';
      if (word.endsWith('.')) sentence = 0;
    }
    if (line.length + word.length + 1 > 72) {
      text += `${line}\n`;
      line = '';
    }
    line += line ? ` ${word}` : word;
  }
  return (text + line).slice(0, bytes);
}

/** The message of index `i`: one recipient, a subject and a text body. */
function message(i: number, text: string) {
  return { from: 'Bench <bench@mailroom.example>', to: `recipient-${i}@example.org`, subject: `Benchmark message ${i}`, text };
}

/** Runs `task(0)` … `task(count - 1)`, at most `concurrency` at a time. */
async function runConcurrently(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

interface Sent {
  sentAt: number;
  acceptedAt?: number;
  id?: string;
  requestBytes: number;
}

/** Posts messages `from`…`from + count - 1` to the API; returns what each answer said. */
async function postMessages(
  runtime: LocalRuntime,
  from: number,
  count: number,
  concurrency: number,
  text: string,
  errors: string[],
): Promise<Sent[]> {
  const sent: Sent[] = new Array(count);
  await runConcurrently(count, concurrency, async (k) => {
    const body = JSON.stringify(message(from + k, text));
    const record: Sent = { sentAt: performance.now(), requestBytes: Buffer.byteLength(body) };
    sent[k] = record;
    try {
      const response = await fetch(`${runtime.apiUrl}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as { id?: string; error?: { code?: string } };
      if (response.status === 202 && answer.id) {
        record.acceptedAt = performance.now();
        record.id = answer.id;
      } else if (errors.length < 5) errors.push(`API answered ${response.status} ${answer.error?.code ?? ''}`.trim());
    } catch (error) {
      if (errors.length < 5) errors.push(`API request failed: ${(error as Error).message}`);
    }
  });
  return sent;
}

interface PipelineMeasure {
  result: PipelineResult;
  aws: CounterSnapshot;
  /** Invocations during the measured run. */
  underLoad: Invocation[];
  /** Invocations while messages went one at a time. */
  isolated: { messages: number; invocations: Invocation[] };
  /** CPU seconds of the measured run, by process. */
  cpuSeconds: Record<string, number>;
  apiRequests: number;
  snsRequests: number;
  snsEvents: number;
  batch?: BulkMeasure;
  campaign?: BulkMeasure;
}

async function runPipeline(options: Options, sink: SmtpSink, text: string): Promise<PipelineMeasure> {
  const counter = new AwsRequestCounter(`${PREFIX}-`, tableSchemas());
  const invocations = new InvocationLog();
  progress('starting the local runtime (DynamoDB Local, SQS emulator, HTTP API, pollers)');
  const runtime = await startLocal({
    port: 0,
    relay: sink.url,
    prefix: PREFIX,
    deliverConcurrency: options.deliverConcurrency,
    log: silent,
    instrumentClient: (client) => counter.instrument(client),
  });
  try {
    runtime.handlers.api.use(invocations.timer('api'));
    runtime.handlers.deliver.use(invocations.timer('deliver'));
    runtime.handlers.stream.use(invocations.timer('stream'));
    runtime.handlers.campaign.use(invocations.timer('campaign'));
    // What the stream function has finished with, per message, and the SNS requests it would have made.
    const seen = new Map<string, Set<string>>();
    const sns = { requests: 0, events: 0 };
    runtime.handlers.stream.use({
      after: (request: { event: DynamoDBStreamEvent }) => {
        const events = request.event.Records.flatMap(streamRecordEvents);
        for (const event of events) {
          const types = seen.get(event.messageId) ?? new Set<string>();
          types.add(event.type);
          seen.set(event.messageId, types);
        }
        const sizes = events.map((event) => {
          const { message, attributes } = toNotification(event);
          return Buffer.byteLength(message) + Buffer.byteLength(JSON.stringify(attributes));
        });
        sns.events += events.length;
        sns.requests += snsPublishRequests(sizes);
      },
    });
    const settled = (sent: Sent[]) => sent.every((s) => !s.id || seen.get(s.id)?.has('sent'));
    const timeoutMs = 120_000 + options.messages * 50;

    if (options.warmup > 0) {
      progress(`warming up with ${options.warmup} messages`);
      const warm = await postMessages(runtime, -options.warmup, options.warmup, options.concurrency, text, []);
      await sink
        .waitFor(
          warm.flatMap((s) => s.id ?? []),
          timeoutMs,
        )
        .catch(() => undefined);
      await waitUntil(() => settled(warm), 30_000);
    }
    counter.reset();
    invocations.reset();
    sink.reset();
    sns.requests = 0;
    sns.events = 0;

    progress(`sending ${options.messages} messages through the API, ${options.concurrency} at a time`);
    const cpuBefore = cpuReading();
    const errors: string[] = [];
    const sent = await postMessages(runtime, 0, options.messages, options.concurrency, text, errors);
    const accepted = sent.filter((s) => s.id !== undefined);
    progress(`${accepted.length} accepted; waiting for delivery`);
    await sink
      .waitFor(
        accepted.map((s) => s.id!),
        timeoutMs,
      )
      .catch((error: Error) => errors.push(error.message));
    progress('delivered; waiting for the events stream to catch up');
    if (!(await waitUntil(() => settled(sent), 60_000))) errors.push('the events stream did not process every sent event within 60 s');
    const cpuSeconds = cpuSpent(cpuBefore, cpuReading());
    const aws = counter.snapshot();
    const underLoad = [...invocations.invocations];
    const measuredSns = { snsRequests: sns.requests, snsEvents: sns.events };
    const arrivals = accepted.flatMap((s) => {
      const at = sink.arrivals.get(s.id!);
      return at === undefined ? [] : [{ s, at }];
    });

    progress(`timing the functions with ${options.isolated} messages sent one at a time`);
    invocations.reset();
    const alone: { acceptMs: number; relayMs: number }[] = [];
    for (let k = 0; k < options.isolated; k++) {
      const [one] = await postMessages(runtime, options.messages + k, 1, 1, text, errors);
      if (!one?.id) continue;
      await sink.waitFor([one.id], 30_000).catch((error: Error) => errors.push(error.message));
      const at = sink.arrivals.get(one.id);
      if (at !== undefined) alone.push({ acceptMs: one.acceptedAt! - one.sentAt, relayMs: at - one.acceptedAt! });
      await waitUntil(() => settled([one]) && seen.get(one.id!)?.has('queued') === true, 10_000);
    }
    const isolated = { messages: options.isolated, invocations: [...invocations.invocations] };

    const firstSent = Math.min(...sent.map((s) => s.sentAt));
    const result: PipelineResult = {
      sent: sent.length,
      accepted: accepted.length,
      delivered: arrivals.length,
      acceptedPerSecond: ratePerSecond(accepted.length, firstSent, Math.max(...accepted.map((s) => s.acceptedAt!))),
      acceptLatencyMs: summarize(accepted.map((s) => s.acceptedAt! - s.sentAt)),
      deliveredPerSecond: ratePerSecond(arrivals.length, firstSent, Math.max(...arrivals.map((a) => a.at))),
      endToEndLatencyMs: summarize(arrivals.map((a) => Math.max(0, a.at - a.s.acceptedAt!))),
      isolated: {
        messages: alone.length,
        acceptLatencyMs: summarize(alone.map((a) => a.acceptMs)),
        acceptToRelayMs: summarize(alone.map((a) => a.relayMs)),
      },
      errors,
    };
    const apiRequests = sent.reduce((sum, s) => sum + httpApiRequests(s.requestBytes), 0);

    const context: RunContext = {
      runtime,
      sink,
      counter,
      invocations,
      sns,
      counted: (ids) => ids.every((id) => seen.get(id)?.has('sent')),
      progress,
    };
    const first = options.messages + options.isolated;
    const batch = options.skipBatch
      ? undefined
      : await runBatches(
          context,
          Array.from({ length: options.messages }, (_, k) => message(first + k, text)),
          options.batchSize,
        );
    const campaign = options.skipCampaign ? undefined : await runCampaign(context, options.messages, { from: message(0, text).from, text });
    return { result, aws, underLoad, isolated, cpuSeconds, apiRequests, ...measuredSns, batch, campaign };
  } finally {
    progress('stopping the local runtime');
    await runtime.stop();
  }
}

async function runBaseline(options: Options, sink: SmtpSink, text: string): Promise<BaselineResult> {
  progress(`baseline: the same messages through a nodemailer pool of ${DEFAULT_MAX_CONNECTIONS} connections`);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: DEFAULT_MAX_CONNECTIONS,
  });
  const errors: string[] = [];
  const send = async (i: number, starts: Map<string, number>) => {
    const id = `baseline-${i}`;
    starts.set(id, performance.now());
    try {
      await transport.sendMail({ ...message(i, text), headers: { 'X-Mailroom-Id': id } });
    } catch (error) {
      if (errors.length < 5) errors.push(`baseline send failed: ${(error as Error).message}`);
    }
  };
  try {
    const warm = new Map<string, number>();
    await runConcurrently(options.warmup, options.concurrency, (k) => send(-1 - k, warm));
    sink.reset();
    const starts = new Map<string, number>();
    const cpuBefore = cpuReading();
    await runConcurrently(options.messages, options.concurrency, (k) => send(k, starts));
    await sink.waitFor(starts.keys(), 30_000).catch((error: Error) => errors.push(error.message));
    const cpuSeconds = cpuSpent(cpuBefore, cpuReading());
    const arrivals = [...starts].flatMap(([id, start]) => {
      const at = sink.arrivals.get(id);
      return at === undefined ? [] : [{ start, at }];
    });
    return {
      sent: starts.size,
      delivered: arrivals.length,
      deliveredPerSecond: ratePerSecond(arrivals.length, Math.min(...starts.values()), Math.max(...arrivals.map((a) => a.at))),
      latencyMs: summarize(arrivals.map((a) => a.at - a.start)),
      cpuMsPerMessage: ((cpuSeconds.node ?? 0) * 1000) / Math.max(1, arrivals.length),
      errors,
    };
  } finally {
    transport.close();
  }
}

function awsFigures(measure: PipelineMeasure, delivered: number): BenchResults['aws'] {
  const snapshot = measure.aws;
  const operations = operationsPerMessage(snapshot, delivered);
  const tables = Object.fromEntries(
    Object.entries(snapshot.tables).map(([name, units]) => [
      name,
      { ...units, readUnitsPerMessage: units.readUnits / delivered, writeUnitsPerMessage: units.writeUnits / delivered },
    ]),
  );
  const lambda: LambdaResult[] = (['api', 'deliver', 'stream'] as const).map((name) => {
    const loaded = measure.underLoad.filter((run) => run.fn === name);
    const alone = measure.isolated.invocations.filter((run) => run.fn === name);
    const memoryMb = FUNCTIONS[name].memoryMb;
    return {
      name,
      memoryMb,
      invocations: loaded.length,
      invocationsPerMessage: loaded.length / delivered,
      meanBatch: loaded.length ? loaded.reduce((sum, run) => sum + run.batch, 0) / loaded.length : Number.NaN,
      durationMsUnderLoad: summarize(loaded.map((run) => run.durationMs)),
      gbSecondsPerMessageUnderLoad: gbSeconds(billedMs(loaded), memoryMb) / delivered,
      durationMsIsolated: summarize(alone.map((run) => run.durationMs)),
      gbSecondsPerMessage: gbSeconds(billedMs(alone), memoryMb) / measure.isolated.messages,
    };
  });
  return {
    operations,
    tables,
    transactionUnitsReportedByDynamoDbLocalPerMessage: snapshot.transactionUnitsReportedByDynamoDbLocal / delivered,
    lambda,
    sns: { events: measure.snsEvents, publishRequests: measure.snsRequests, publishRequestsPerMessage: measure.snsRequests / delivered },
    apiRequestsPerMessage: measure.apiRequests / delivered,
    cpuMsPerMessage: Object.fromEntries(
      Object.entries(measure.cpuSeconds).map(([process, seconds]) => [process, (seconds * 1000) / delivered]),
    ),
  };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = performance.now();
  const loadAverageAtStart = loadavg();
  const text = bodyText(options.size);

  let bundles: BundleResult[] = [];
  if (!options.skipBundles) {
    progress(`building the Lambda bundles and loading each in ${options.initRuns} fresh processes`);
    bundles = await measureBundles({ projectRoot: ROOT, runs: options.initRuns, onProgress: progress });
  }

  const sink = await startSmtpSink();
  let pipeline: PipelineMeasure;
  let baseline: BaselineResult;
  try {
    pipeline = await runPipeline(options, sink, text);
    baseline = await runBaseline(options, sink, text);
  } finally {
    await sink.stop();
  }

  const delivered = pipeline.result.delivered;
  if (delivered === 0) throw new Error(`no message was delivered: ${pipeline.result.errors.join('; ')}`);
  const aws = awsFigures(pipeline, delivered);
  // Compute from the functions timed one message at a time; requests from the run under load.
  const cost = priceRun({
    delivered,
    operations: aws.operations,
    lambda: aws.lambda,
    apiRequests: pipeline.apiRequests,
    snsRequests: pipeline.snsRequests,
  });
  const deliveryRatio = pipeline.result.deliveredPerSecond / baseline.deliveredPerSecond;
  const batch = pipeline.batch && bulkFigures('batch', pipeline.batch, aws.lambda);
  const campaign = pipeline.campaign && bulkFigures('campaign', pipeline.campaign, aws.lambda);
  const partial = {
    pipeline: pipeline.result,
    deliveryRatio,
    cost: { ...cost, prices: PRICES },
    ...(batch && { batch }),
    ...(campaign && { campaign }),
    bundles,
    aws,
  };
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
    },
    options: {
      messages: options.messages,
      concurrency: options.concurrency,
      deliverConcurrency: options.deliverConcurrency,
      sizeBytes: options.size,
      warmup: options.warmup,
      isolated: options.isolated,
      smtpConnections: DEFAULT_MAX_CONNECTIONS,
      initRuns: options.initRuns,
      batchSize: options.batchSize,
    },
    runSeconds: (performance.now() - started) / 1000,
    baseline,
    ...partial,
    targets: evaluateTargets(partial),
  };

  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  // The README's section shows the kept results: rewrite it with them, not with a run written elsewhere.
  if (options.out === DEFAULT_RESULTS) updateReadme(options.out);
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else process.stdout.write(`\n${formatReport(results)}\n\nFigures written to ${options.out}\n`);
}

main().then(
  // The SDK's and nodemailer's sockets may linger; the run is over.
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
