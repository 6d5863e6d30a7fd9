/**
 * What one million messages cost in AWS at list prices, from what the benchmark measured:
 * Lambda requests and GB-seconds, SQS requests, DynamoDB request units, API Gateway HTTP API
 * requests and SNS publishes. SES's own per-message fee is not included.
 */

/**
 * us-east-1 list prices, on demand, without free tiers, recorded 2026-11-28 from the AWS
 * pricing pages in `sources`. Change them here only.
 */
export const PRICES = {
  recorded: '2026-11-28',
  region: 'us-east-1',
  lambda: {
    /** Per request. */
    request: 0.2 / 1e6,
    /** Per GB-second, arm64 (Graviton), first pricing tier. */
    gbSecond: 0.0000133334,
  },
  /** Standard queue, per request (each 64 KB chunk of payload is a request). */
  sqs: { request: 0.4 / 1e6 },
  /** On-demand tables, per request unit. */
  dynamodb: { writeUnit: 0.625 / 1e6, readUnit: 0.125 / 1e6 },
  /** HTTP API, per request (each 512 KB chunk is a request), first 300 million a month. */
  apiGateway: { request: 1.0 / 1e6 },
  /** Per publish request (each 64 KB chunk; a PublishBatch of up to 10 messages is one request). Deliveries to SQS and Lambda are free. */
  sns: { request: 0.5 / 1e6 },
  /** Per request (not per message: see the KMS note in docs/benchmark.md). */
  kms: { request: 0.03 / 1e4 },
  sources: {
    lambda: 'https://aws.amazon.com/lambda/pricing/',
    sqs: 'https://aws.amazon.com/sqs/pricing/',
    dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    apiGateway: 'https://aws.amazon.com/api-gateway/pricing/',
    sns: 'https://aws.amazon.com/sns/pricing/',
    kms: 'https://aws.amazon.com/kms/pricing/',
  },
} as const;

/** API Gateway HTTP APIs meter requests in 512 KB increments. */
export const HTTP_API_CHUNK_BYTES = 512 * 1024;
/** SNS meters publishes in 64 KB increments. */
export const SNS_CHUNK_BYTES = 64 * 1024;
/** Entries in one SNS PublishBatch (the notifier's batch size). */
export const SNS_BATCH_SIZE = 10;

/** Lambda bills each invocation's duration rounded up to the millisecond. */
export function billedDurationMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** GB-seconds of `billedMs` milliseconds at `memoryMb`. */
export function gbSeconds(billedMs: number, memoryMb: number): number {
  return (billedMs / 1000) * (memoryMb / 1024);
}

/** Billed HTTP API requests for a request of `bytes`. */
export function httpApiRequests(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / HTTP_API_CHUNK_BYTES));
}

/**
 * Billed SNS requests to publish events of the given sizes (message and attributes, in
 * bytes), in order, in PublishBatch requests of SNS_BATCH_SIZE entries as the notifier does.
 */
export function snsPublishRequests(eventBytes: readonly number[], batchSize = SNS_BATCH_SIZE): number {
  let requests = 0;
  for (let start = 0; start < eventBytes.length; start += batchSize) {
    const bytes = eventBytes.slice(start, start + batchSize).reduce((sum, size) => sum + size, 0);
    requests += Math.max(1, Math.ceil(bytes / SNS_CHUNK_BYTES));
  }
  return requests;
}

/** One function's use during the run. */
export interface LambdaUsage {
  name: string;
  memoryMb: number;
  invocations: number;
  /** Sum of the invocations' billed durations. */
  billedMs: number;
}

/** Everything billable the run used, for `messages` delivered messages. */
export interface Usage {
  messages: number;
  lambda: LambdaUsage[];
  /** Billed SQS requests (empty receives left out: see docs/benchmark.md). */
  sqsRequests: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  /** Billed HTTP API requests. */
  apiRequests: number;
  /** Billed SNS publish requests. */
  snsRequests: number;
}

export type Service = 'Lambda' | 'SQS' | 'DynamoDB' | 'API Gateway' | 'SNS';

/** One priced quantity, per message and per million messages. */
export interface CostLine {
  service: Service;
  item: string;
  unit: string;
  /** Quantity per delivered message. */
  perMessage: number;
  /** USD for one million messages. */
  usdPerMillion: number;
}

export interface Cost {
  lines: CostLine[];
  byService: Record<Service, number>;
  /** USD for one million messages. */
  total: number;
}

/** Prices the usage per million messages. */
export function costPerMillion(usage: Usage, prices: typeof PRICES = PRICES): Cost {
  if (!(usage.messages > 0)) throw new RangeError('usage must cover at least one message');
  const lines: CostLine[] = [];
  const add = (service: Service, item: string, unit: string, total: number, unitPrice: number) => {
    const perMessage = total / usage.messages;
    lines.push({ service, item, unit, perMessage, usdPerMillion: perMessage * unitPrice * 1e6 });
  };
  for (const fn of usage.lambda) {
    add('Lambda', `${fn.name} requests`, 'request', fn.invocations, prices.lambda.request);
    add('Lambda', `${fn.name} compute (${fn.memoryMb} MB)`, 'GB-s', gbSeconds(fn.billedMs, fn.memoryMb), prices.lambda.gbSecond);
  }
  add('SQS', 'requests', 'request', usage.sqsRequests, prices.sqs.request);
  add('DynamoDB', 'writes', 'WRU', usage.dynamoWriteUnits, prices.dynamodb.writeUnit);
  add('DynamoDB', 'reads', 'RRU', usage.dynamoReadUnits, prices.dynamodb.readUnit);
  add('API Gateway', 'HTTP API requests', 'request', usage.apiRequests, prices.apiGateway.request);
  add('SNS', 'publish requests', 'request', usage.snsRequests, prices.sns.request);
  const byService: Record<Service, number> = { Lambda: 0, SQS: 0, DynamoDB: 0, 'API Gateway': 0, SNS: 0 };
  for (const line of lines) byService[line.service] += line.usdPerMillion;
  const total = Object.values(byService).reduce((sum, usd) => sum + usd, 0);
  return { lines, byService, total };
}
