/**
 * The targets the benchmark holds mailroom to (throughput, AWS requests and write units per
 * send, cost per million single, batched and campaign sends, cold start, latency one message at
 * a time), and whether a run meets each. Reads only figures every results file has had, or says
 * "not measured", so results written by an older benchmark still evaluate.
 */
import type { BenchResults, OperationPerMessage, TargetResult } from './report.ts';

/** Delivered per second, default run, on the benchmark's 2-core machine. */
export const TARGET_DELIVERED_PER_SECOND = 72;
/** Pipeline delivered per second over the nodemailer baseline's, same run. */
export const TARGET_DELIVERY_RATIO = 0.12;
/** Billed AWS requests (DynamoDB and SQS) per accepted and delivered single send. */
export const TARGET_REQUESTS_PER_SEND = 7;
/** DynamoDB write request units per accepted and delivered single send. */
export const TARGET_WRITE_UNITS_PER_SEND = 5;
/** USD per million single sends (`POST /v1/messages`). */
export const TARGET_USD_PER_MILLION = 5;
/** USD per million messages sent in batches of 100, or by a campaign. */
export const TARGET_BULK_USD_PER_MILLION = 1.5;
/** Each function's module load, as deployed (with source maps). */
export const TARGET_INIT_MS = 150;
/** Accept latency (request to `202`) p50, one message at a time. */
export const TARGET_ACCEPT_P50_MS = 15;
/** From the `202` to the relay's receipt, p50, one message at a time. */
export const TARGET_ACCEPT_TO_RELAY_P50_MS = 300;

/** The figures the targets read. */
export type TargetInputs = Pick<BenchResults, 'pipeline' | 'deliveryRatio' | 'cost' | 'bundles' | 'aws'> &
  Partial<Pick<BenchResults, 'batch' | 'campaign'>>;

/** Billed AWS requests per message: the priced DynamoDB and SQS operations (stream reads and empty polls are not). */
export function billedRequestsPerMessage(operations: readonly OperationPerMessage[]): number {
  return operations.filter((op) => op.priced).reduce((sum, op) => sum + op.billedPerMessage, 0);
}

/** The operations that cost the most requests per message, for a missed target's note. */
function largestOperations(operations: readonly OperationPerMessage[]): string {
  return [...operations]
    .filter((op) => op.priced)
    .sort((a, b) => b.billedPerMessage - a.billedPerMessage)
    .slice(0, 3)
    .map((op) => `${op.operation} ${op.billedPerMessage.toFixed(2)}`)
    .join(', ');
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const usd = (x: number) => `$${x.toFixed(2)}`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/**
 * A target that a value must stay under (`max`, inclusive when `inclusive`) or reach (`min`):
 * met or missed, and how far off; "not measured" when the value is absent or not a number.
 */
function check(
  name: string,
  value: number | undefined,
  bound: { max?: number; min?: number; inclusive?: boolean },
  show: (x: number) => string,
  note?: string,
  gap: (x: number) => string = show,
): TargetResult {
  const limit = (bound.max ?? bound.min)!;
  const target = bound.max !== undefined ? `${bound.inclusive ? '≤' : '<'} ${show(limit)}` : `≥ ${show(limit)}`;
  if (value === undefined || !Number.isFinite(value)) return { name, target, value: 'not measured', ...(note && { note }) };
  let met: boolean;
  let shortfall: string | undefined;
  if (bound.max !== undefined) {
    met = bound.inclusive ? value <= limit : value < limit;
    if (!met) shortfall = `${gap(value - limit)} over (${((value / limit - 1) * 100).toFixed(0)} %)`;
  } else {
    met = value >= limit;
    if (!met) shortfall = `${gap(limit - value)} short; ${(limit / value).toFixed(2)}× needed`;
  }
  return { name, target, value: show(value), met, ...(shortfall && { shortfall }), ...(!met && note && { note }) };
}

/** Whether each target is met, and by how much one is missed. */
export function evaluateTargets(results: TargetInputs): TargetResult[] {
  const p = results.pipeline;
  const ops = results.aws.operations;
  const busiest = Object.entries(results.aws.tables).sort((a, b) => b[1].writeUnitsPerMessage - a[1].writeUnitsPerMessage)[0];
  const writes = results.cost.lines.find((line) => line.service === 'DynamoDB' && line.item === 'writes')?.perMessage;
  const topService = (cost: { byService: Record<string, number> }) => {
    const top = Object.entries(cost.byService).sort((a, b) => b[1] - a[1])[0];
    return top ? `largest: ${top[0]} $${top[1].toFixed(2)}` : undefined;
  };
  const targets: TargetResult[] = [
    check('delivered per second', p.deliveredPerSecond, { min: TARGET_DELIVERED_PER_SECOND }, (x) => x.toFixed(1)),
    check(
      'delivered per second vs the nodemailer baseline',
      results.deliveryRatio,
      { min: TARGET_DELIVERY_RATIO },
      pct,
      undefined,
      (x) => `${(x * 100).toFixed(1)} points`,
    ),
    check(
      'AWS requests per single send',
      billedRequestsPerMessage(ops),
      { max: TARGET_REQUESTS_PER_SEND, inclusive: true },
      (x) => x.toFixed(2),
      `largest: ${largestOperations(ops)}`,
    ),
    check(
      'DynamoDB WRU per single send',
      writes,
      { max: TARGET_WRITE_UNITS_PER_SEND, inclusive: true },
      (x) => x.toFixed(2),
      busiest && `${busiest[1].writeUnitsPerMessage.toFixed(2)} of them in table ${busiest[0]}`,
    ),
    check('AWS cost per million single sends', results.cost.total, { max: TARGET_USD_PER_MILLION }, usd, topService(results.cost)),
    check(
      'AWS cost per million sends in batches of 100',
      results.batch?.cost.total,
      { max: TARGET_BULK_USD_PER_MILLION },
      usd,
      results.batch && topService(results.batch.cost),
    ),
  ];
  if (results.campaign) {
    targets.push(
      check(
        'AWS cost per million campaign sends',
        results.campaign.cost.total,
        { max: TARGET_BULK_USD_PER_MILLION },
        usd,
        topService(results.campaign.cost),
      ),
    );
  }
  for (const bundle of results.bundles) {
    const init = check(
      `${bundle.name} init (as deployed, with source maps)`,
      bundle.initMs,
      { max: TARGET_INIT_MS },
      ms,
      Number.isFinite(bundle.initMs)
        ? `${bundle.initCpuMs.toFixed(0)} ms of CPU; ${bundle.initWithoutSourceMapsMs.toFixed(0)} ms without --enable-source-maps`
        : undefined,
    );
    // A bundle that failed to load says why instead of a bare "not measured".
    targets.push(bundle.error && init.met === undefined ? { ...init, value: 'n/a', note: bundle.error } : init);
  }
  targets.push(
    check(
      'accept latency p50, one message at a time',
      p.isolated?.acceptLatencyMs.p50,
      { max: TARGET_ACCEPT_P50_MS },
      (x) => `${x.toFixed(1)} ms`,
    ),
    check('202 to relay p50, one message at a time', p.isolated?.acceptToRelayMs.p50, { max: TARGET_ACCEPT_TO_RELAY_P50_MS }, ms),
  );
  return targets;
}
