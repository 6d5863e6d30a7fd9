/** The benchmark's results: their shape, the targets they are held to, and the printed table. */
import type { OperationCount, TableUnits } from './aws-counter.ts';
import type { BundleResult } from './bundles.ts';
import { PRICES, type Cost } from './cost.ts';
import type { Summary } from './stats.ts';

export interface PipelineResult {
  sent: number;
  accepted: number;
  delivered: number;
  acceptedPerSecond: number;
  acceptLatencyMs: Summary;
  deliveredPerSecond: number;
  /** From the API's 202 answer to the sink's receipt of the message. */
  endToEndLatencyMs: Summary;
  errors: string[];
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

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  options: {
    messages: number;
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

/** Targets: pipeline delivery ≥ 40 % of the baseline. */
export const TARGET_DELIVERY_RATIO = 0.4;
/** Targets: AWS cost under 8 USD per million single sends. */
export const TARGET_USD_PER_MILLION = 8;
/** Targets: each bundle under 1 MB (MiB, as Lambda counts sizes). */
export const TARGET_BUNDLE_BYTES = 1024 * 1024;
/** Targets: each bundle's module load under 150 ms. */
export const TARGET_INIT_MS = 150;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** Whether each target is met, and by how much one is missed. */
export function evaluateTargets(results: Pick<BenchResults, 'deliveryRatio' | 'cost' | 'bundles' | 'aws'>): TargetResult[] {
  const targets: TargetResult[] = [];
  const ratio = results.deliveryRatio;
  targets.push({
    name: 'pipeline delivery vs baseline',
    target: `≥ ${pct(TARGET_DELIVERY_RATIO)}`,
    value: Number.isFinite(ratio) ? pct(ratio) : 'n/a',
    ...(Number.isFinite(ratio) && { met: ratio >= TARGET_DELIVERY_RATIO }),
    ...(ratio < TARGET_DELIVERY_RATIO && {
      shortfall: `${((TARGET_DELIVERY_RATIO - ratio) * 100).toFixed(1)} points short; ${(TARGET_DELIVERY_RATIO / ratio).toFixed(1)}× the throughput needed`,
    }),
  });

  const { total, byService } = results.cost;
  const top = (Object.entries(byService) as [string, number][]).sort((a, b) => b[1] - a[1])[0];
  const writes = results.cost.lines.find((line) => line.service === 'DynamoDB' && line.item === 'writes');
  const busiest = Object.entries(results.aws.tables).sort((a, b) => b[1].writeUnitsPerMessage - a[1].writeUnitsPerMessage)[0];
  targets.push({
    name: 'AWS cost per million single sends',
    target: `< $${TARGET_USD_PER_MILLION.toFixed(2)}`,
    value: `$${total.toFixed(2)}`,
    met: total < TARGET_USD_PER_MILLION,
    ...(total >= TARGET_USD_PER_MILLION && {
      shortfall: `$${(total - TARGET_USD_PER_MILLION).toFixed(2)} over (${((total / TARGET_USD_PER_MILLION - 1) * 100).toFixed(0)} %)`,
    }),
    ...(top && {
      note:
        `largest: ${top[0]} $${top[1].toFixed(2)}` +
        (top[0] === 'DynamoDB' && writes && busiest
          ? ` (${writes.perMessage.toFixed(1)} WRU per message, ${busiest[1].writeUnitsPerMessage.toFixed(1)} of them in table ${busiest[0]})`
          : ''),
    }),
  });

  for (const bundle of results.bundles) {
    if (bundle.error !== undefined && !Number.isFinite(bundle.bytes)) {
      targets.push({ name: `${bundle.name} bundle`, target: '< 1 MB, init < 150 ms', value: 'n/a', note: bundle.error });
      continue;
    }
    const over = bundle.bytes - TARGET_BUNDLE_BYTES;
    const largest = bundle.largest
      .slice(0, 3)
      .map((m) => `${m.module} ${kb(m.bytes)}`)
      .join(', ');
    targets.push({
      name: `${bundle.name} bundle size`,
      target: `< ${kb(TARGET_BUNDLE_BYTES)}`,
      value: kb(bundle.bytes),
      met: over < 0,
      ...(over >= 0 && { shortfall: `${kb(over)} over`, note: `largest parts: ${largest}` }),
    });
    if (!Number.isFinite(bundle.initMs)) {
      targets.push({
        name: `${bundle.name} init`,
        target: `< ${TARGET_INIT_MS} ms`,
        value: 'n/a',
        ...(bundle.error && { note: bundle.error }),
      });
      continue;
    }
    const late = bundle.initMs - TARGET_INIT_MS;
    targets.push({
      name: `${bundle.name} init`,
      target: `< ${TARGET_INIT_MS} ms`,
      value: `${bundle.initMs.toFixed(0)} ms`,
      met: late < 0,
      ...(late >= 0 && {
        shortfall: `${late.toFixed(0)} ms over`,
        note: `${bundle.initCpuMs.toFixed(0)} ms of CPU; ${bundle.initWithoutSourceMapsMs.toFixed(0)} ms without --enable-source-maps`,
      }),
    });
  }
  return targets;
}

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

/** The human-readable report printed to stdout. */
export function formatReport(r: BenchResults): string {
  const o = r.options;
  const out: string[] = [];
  out.push(
    `mailroom benchmark: ${o.messages} messages of ${o.sizeBytes} bytes, ${o.concurrency} concurrent clients, ${o.deliverConcurrency} delivery pollers, ${o.smtpConnections} SMTP connections`,
    `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start; run took ${r.runSeconds.toFixed(0)} s`,
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
    ]),
  );
  for (const error of [...p.errors, ...b.errors]) out.push(`  ! ${error}`);

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
      ['function', 'size', 'source map', 'init ms (as deployed)', 'of it CPU ms', 'init ms (no source maps)'],
      ...r.bundles.map((bundle) =>
        bundle.error && !Number.isFinite(bundle.bytes)
          ? [bundle.name, 'n/a', '', bundle.error, '', '']
          : [
              bundle.name,
              kb(bundle.bytes),
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
