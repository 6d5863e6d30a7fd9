/** The benchmark's results: their shape, the targets they are held to, and the printed table. */
import type { OperationCount, TableUnits } from './aws-counter.ts';
import type { BundleResult } from './bundles.ts';
import { PRICES, type Cost } from './cost.ts';
import type { Summary } from './stats.ts';
import { billedRequestsPerMessage } from './targets.ts';

export interface PipelineResult {
  sent: number;
  accepted: number;
  delivered: number;
  acceptedPerSecond: number;
  acceptLatencyMs: Summary;
  deliveredPerSecond: number;
  /** From the API's 202 answer to the sink's receipt of the message. */
  endToEndLatencyMs: Summary;
  /** The messages sent one at a time after the run (absent from results of before 2026-12). */
  isolated?: IsolatedResult;
  errors: string[];
}

/** Latencies of messages sent one at a time, each once the one before had been delivered and counted. */
export interface IsolatedResult {
  messages: number;
  /** From the request to the `202`. */
  acceptLatencyMs: Summary;
  /** From the `202` to the sink's receipt of the message. */
  acceptToRelayMs: Summary;
}

export interface BaselineResult {
  sent: number;
  delivered: number;
  deliveredPerSecond: number;
  /** From `sendMail()` to the sink's receipt of the message. */
  latencyMs: Summary;
  /** CPU milliseconds per message of this process (sender and sink). */
  cpuMsPerMessage: number;
  errors: string[];
}

export interface OperationPerMessage extends OperationCount {
  requestsPerMessage: number;
  billedPerMessage: number;
  /** Whether the cost model charges it (stream reads and empty receives are not). */
  priced: boolean;
}

export interface LambdaResult {
  name: string;
  memoryMb: number;
  /** Invocations during the run under load, and their records per invocation. */
  invocations: number;
  invocationsPerMessage: number;
  meanBatch: number;
  /** Durations under load: every invocation shares one process and the machine with the rest. */
  durationMsUnderLoad: Summary;
  gbSecondsPerMessageUnderLoad: number;
  /** Durations with one message at a time: no contention, and no batching. */
  durationMsIsolated: Summary;
  /** GB-seconds per message from the isolated invocations: what the cost model uses. */
  gbSecondsPerMessage: number;
}

/** One function's use in a batch or campaign run. */
export interface BulkLambdaResult {
  name: string;
  memoryMb: number;
  invocations: number;
  invocationsPerMessage: number;
  meanBatch: number;
  gbSecondsPerMessage: number;
  /** Where the compute came from: this run's invocations, or the single run's one message at a time. */
  computeFrom: 'this run' | 'single sends one at a time';
}

/** Messages that went in other than one per request: batches of 100, or one campaign to a list. */
export interface BulkRunResult {
  /** `batch`: POST /v1/messages/batch, 100 messages a request; `campaign`: one campaign to a list of as many contacts. */
  kind: 'batch' | 'campaign';
  sent: number;
  accepted: number;
  delivered: number;
  /** From the first request to the last arrival. */
  deliveredPerSecond: number;
  /** Counted as in the single run, per delivered message. */
  operations: OperationPerMessage[];
  readUnitsPerMessage: number;
  writeUnitsPerMessage: number;
  lambda: BulkLambdaResult[];
  sns: { events: number; publishRequests: number; publishRequestsPerMessage: number };
  apiRequestsPerMessage: number;
  cost: Cost;
  errors: string[];
}

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  options: {
    messages: number;
    /** Messages per POST /v1/messages/batch request in the batch run. */
    batchSize?: number;
    concurrency: number;
    deliverConcurrency: number;
    sizeBytes: number;
    warmup: number;
    isolated: number;
    smtpConnections: number;
    initRuns: number;
  };
  runSeconds: number;
  pipeline: PipelineResult;
  baseline: BaselineResult;
  /** Pipeline delivered per second over baseline delivered per second. */
  deliveryRatio: number;
  aws: {
    operations: OperationPerMessage[];
    tables: Record<string, TableUnits & { readUnitsPerMessage: number; writeUnitsPerMessage: number }>;
    /** For comparison: what DynamoDB Local itself reported for the transactions (see bench/aws-counter.ts). */
    transactionUnitsReportedByDynamoDbLocalPerMessage: number;
    lambda: LambdaResult[];
    /** Modelled: the notifications the stream function would publish, in PublishBatch requests of 10. */
    sns: { events: number; publishRequests: number; publishRequestsPerMessage: number };
    apiRequestsPerMessage: number;
    /** CPU milliseconds per delivered message during the run, by process (`node`: mailroom, emulators, load and sink; `java`: DynamoDB Local). */
    cpuMsPerMessage: Record<string, number>;
  };
  cost: Cost & { prices: typeof PRICES };
  /** The same number of messages in batches of 100 (absent from results of before 2026-12, and with --skip-batch). */
  batch?: BulkRunResult;
  /** One campaign to a list of as many contacts (absent from results of before 2026-12, and with --skip-campaign). */
  campaign?: BulkRunResult;
  bundles: BundleResult[];
  targets: TargetResult[];
}

export interface TargetResult {
  name: string;
  target: string;
  value: string;
  /** Undefined when it could not be measured. */
  met?: boolean;
  /** How far off a missed target is. */
  shortfall?: string;
  note?: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** Right-aligns numbers and left-aligns the first column of each row. */
export function formatTable(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
          .join('   ')
          .trimEnd(),
    )
    .join('\n');
}

const num = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const usd = (x: number) => `$${x.toFixed(x < 0.01 && x > 0 ? 4 : 2)}`;

/** Single sends beside the batch and campaign runs: requests, units, invocations and cost per message. */
function formatBulkRuns(r: BenchResults): string[] {
  const runs = [r.batch, r.campaign].filter((run): run is BulkRunResult => run !== undefined);
  const single = {
    delivered: `${r.pipeline.delivered} / ${r.pipeline.sent}`,
    perSecond: r.pipeline.deliveredPerSecond,
    requests: billedRequestsPerMessage(r.aws.operations),
    rru: r.cost.lines.find((line) => line.item === 'reads')?.perMessage ?? Number.NaN,
    wru: r.cost.lines.find((line) => line.item === 'writes')?.perMessage ?? Number.NaN,
    api: r.aws.apiRequestsPerMessage,
    lambda: r.aws.lambda.map((fn) => `${fn.name} ${num(fn.invocationsPerMessage, 3)}`).join(', '),
    cost: r.cost,
  };
  const columns = [
    single,
    ...runs.map((run) => ({
      delivered: `${run.delivered} / ${run.sent}`,
      perSecond: run.deliveredPerSecond,
      requests: billedRequestsPerMessage(run.operations),
      rru: run.readUnitsPerMessage,
      wru: run.writeUnitsPerMessage,
      api: run.apiRequestsPerMessage,
      lambda: run.lambda.map((fn) => `${fn.name} ${num(fn.invocationsPerMessage, 3)}`).join(', '),
      cost: run.cost,
    })),
  ];
  const batchSize = r.options.batchSize ?? 100;
  const heads = ['single sends', ...runs.map((run) => (run.kind === 'batch' ? `batches of ${batchSize}` : 'one campaign'))];
  const services = Object.keys(r.cost.byService) as (keyof Cost['byService'])[];
  const out = [
    `Single sends, batches and campaigns (per delivered message; compute of deliver and stream from single sends one at a time)`,
  ];
  out.push(
    formatTable([
      ['', ...heads],
      ['delivered / sent', ...columns.map((c) => c.delivered)],
      ['delivered per second', ...columns.map((c) => num(c.perSecond))],
      ['AWS requests (DynamoDB, SQS), billed', ...columns.map((c) => num(c.requests, 2))],
      ['DynamoDB RRU / WRU', ...columns.map((c) => `${num(c.rru, 2)} / ${num(c.wru, 2)}`)],
      ['API Gateway requests', ...columns.map((c) => num(c.api, 3))],
      ['Lambda invocations', ...columns.map((c) => c.lambda)],
      ...services.map((service) => [`${service} USD / million`, ...columns.map((c) => usd(c.cost.byService[service]))]),
      ['total USD / million', ...columns.map((c) => usd(c.cost.total))],
    ]),
  );
  for (const run of runs) for (const error of run.errors) out.push(`  ! ${run.kind}: ${error}`);
  return out;
}

/**
 * Whether other work shared the machine: a load average above its cores at the start. The one at
 * the end says little: it counts the benchmark's own processes (DynamoDB Local, the SQS emulator,
 * the sink, and the baseline's last seconds), about 2 to 3 runnable on 2 cores of an idle machine.
 */
export function wasBusy(machine: BenchResults['machine']): boolean {
  return (machine.loadAverageAtStart[0] ?? 0) > machine.cpus;
}

/** The human-readable report printed to stdout. */
export function formatReport(r: BenchResults): string {
  const o = r.options;
  const out: string[] = [];
  out.push(
    `mailroom benchmark: ${o.messages} messages of ${o.sizeBytes} bytes, ${o.concurrency} concurrent clients, ${o.deliverConcurrency} delivery pollers, ${o.smtpConnections} SMTP connections`,
    `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start; run took ${r.runSeconds.toFixed(0)} s`,
    ...(wasBusy(r.machine)
      ? [
          `  ! the machine was busy (load average above its ${r.machine.cpus} cores): throughput, latencies and load times are worse than on an idle one`,
        ]
      : []),
    '',
    'Throughput and latency',
  );
  const p = r.pipeline;
  const b = r.baseline;
  out.push(
    formatTable([
      ['', 'pipeline', 'baseline (nodemailer pool)'],
      ['accepted per second (HTTP API)', num(p.acceptedPerSecond), '-'],
      ['accept latency p50 / p99 (ms)', `${num(p.acceptLatencyMs.p50)} / ${num(p.acceptLatencyMs.p99)}`, '-'],
      ['delivered per second (SMTP sink)', num(p.deliveredPerSecond), num(b.deliveredPerSecond)],
      [
        'end-to-end latency p50 / p99 (ms)',
        `${num(p.endToEndLatencyMs.p50)} / ${num(p.endToEndLatencyMs.p99)}`,
        `${num(b.latencyMs.p50)} / ${num(b.latencyMs.p99)}`,
      ],
      ['delivered / sent', `${p.delivered} / ${p.sent}`, `${b.delivered} / ${b.sent}`],
      ['pipeline / baseline', pct(r.deliveryRatio), ''],
      ...(p.isolated
        ? [
            [
              `accept latency p50 / p99, one at a time (ms)`,
              `${num(p.isolated.acceptLatencyMs.p50)} / ${num(p.isolated.acceptLatencyMs.p99)}`,
              '-',
            ],
            [
              `202 to relay p50 / p99, one at a time (ms)`,
              `${num(p.isolated.acceptToRelayMs.p50)} / ${num(p.isolated.acceptToRelayMs.p99)}`,
              '-',
            ],
          ]
        : []),
    ]),
  );
  for (const error of [...p.errors, ...b.errors]) out.push(`  ! ${error}`);
  if (r.batch || r.campaign) out.push('', ...formatBulkRuns(r));

  out.push('', 'AWS requests per delivered message (counted on every SDK client)');
  out.push(
    formatTable([
      ['service', 'operation', 'requests', 'billed', 'RRU', 'WRU', ''],
      ...r.aws.operations.map((op) => [
        op.service,
        op.operation,
        num(op.requestsPerMessage, 3),
        op.priced ? num(op.billedPerMessage, 3) : '-',
        op.readUnits ? num(op.readUnits / p.delivered, 2) : '',
        op.writeUnits ? num(op.writeUnits / p.delivered, 2) : '',
        op.priced ? '' : op.service === 'DynamoDBStreams' ? 'free for Lambda triggers' : 'empty polls, not priced',
      ]),
      ['API Gateway', 'HTTP API request', num(r.aws.apiRequestsPerMessage, 3), num(r.aws.apiRequestsPerMessage, 3), '', '', ''],
      [
        'SNS',
        'PublishBatch (modelled)',
        num(r.aws.sns.publishRequestsPerMessage, 3),
        num(r.aws.sns.publishRequestsPerMessage, 3),
        '',
        '',
        '',
      ],
    ]),
  );
  out.push('', 'DynamoDB request units per message, by table');
  out.push(
    formatTable([
      ['table', 'RRU', 'WRU', 'of which indexes'],
      ...Object.entries(r.aws.tables).map(([table, t]) => [
        table,
        num(t.readUnitsPerMessage, 2),
        num(t.writeUnitsPerMessage, 2),
        num(t.indexWriteUnits / p.delivered, 2),
      ]),
    ]),
  );
  out.push(
    `  (transactions computed per item; DynamoDB Local itself reported ${num(r.aws.transactionUnitsReportedByDynamoDbLocalPerMessage, 2)} WRU per message for them)`,
  );
  out.push('', `Lambda (handler durations: under load, and with one message at a time, which the cost uses)`);
  out.push(
    formatTable([
      ['function', 'memory', 'invocations/msg', 'mean batch', 'load p50 / p99 ms', 'GB-s/msg', 'alone p50 / p99 ms', 'GB-s/msg'],
      ...r.aws.lambda.map((fn) => [
        fn.name,
        `${fn.memoryMb} MB`,
        num(fn.invocationsPerMessage, 3),
        num(fn.meanBatch, 1),
        `${num(fn.durationMsUnderLoad.p50)} / ${num(fn.durationMsUnderLoad.p99)}`,
        fn.gbSecondsPerMessageUnderLoad.toFixed(5),
        `${num(fn.durationMsIsolated.p50)} / ${num(fn.durationMsIsolated.p99)}`,
        fn.gbSecondsPerMessage.toFixed(5),
      ]),
    ]),
  );
  const cpu = Object.entries(r.aws.cpuMsPerMessage).filter(([, ms]) => ms >= 0.5);
  if (cpu.length) {
    out.push(
      `  CPU per delivered message: pipeline ${cpu.map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ')}; baseline ${r.baseline.cpuMsPerMessage.toFixed(1)} ms`,
    );
  }

  out.push('', `Cost of one million messages (${PRICES.region} list prices of ${PRICES.recorded}; SES's per-message fee excluded)`);
  out.push(
    formatTable([
      ['service', 'item', 'per message', 'USD / million'],
      ...r.cost.lines.map((line) => [
        line.service,
        line.item,
        `${line.perMessage < 0.01 ? line.perMessage.toExponential(2) : line.perMessage.toFixed(3)} ${line.unit}`,
        usd(line.usdPerMillion),
      ]),
      ...(Object.entries(r.cost.byService) as [string, number][]).map(([service, cost]) => [`${service} total`, '', '', usd(cost)]),
      ['total', '', '', usd(r.cost.total)],
    ]),
  );

  out.push('', 'Lambda bundles (esbuild as the CDK stack builds them)');
  out.push(
    formatTable([
      ['function', 'size', 'loaded at start', 'source maps', 'init ms (as deployed)', 'of it CPU ms', 'init ms (no source maps)'],
      ...r.bundles.map((bundle) =>
        bundle.error && !Number.isFinite(bundle.bytes)
          ? [bundle.name, 'n/a', '', '', bundle.error, '', '']
          : [
              bundle.name,
              kb(bundle.bytes),
              bundle.startBytes === undefined ? 'n/a' : kb(bundle.startBytes),
              kb(bundle.sourceMapBytes),
              num(bundle.initMs, 0),
              num(bundle.initCpuMs, 0),
              num(bundle.initWithoutSourceMapsMs, 0),
            ],
      ),
    ]),
  );

  out.push('', 'Targets');
  for (const t of r.targets) {
    const mark = t.met === undefined ? '?' : t.met ? 'met   ' : 'MISSED';
    out.push(`  ${mark}  ${t.name}: ${t.value} (target ${t.target})${t.shortfall ? `, ${t.shortfall}` : ''}${t.note ? `; ${t.note}` : ''}`);
  }
  return out.join('\n');
}
