import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAMBDA_TARGET } from '../../../cdk/bundling.ts';
import type { Metafile } from 'esbuild';
import { packageOf, splitSizes, type BundleResult } from '../../../bench/bundles.ts';
import { costPerMillion } from '../../../bench/cost.ts';
import { formatTable, type BenchResults, type BulkRunResult, type OperationPerMessage } from '../../../bench/report.ts';
import { evaluateTargets, type TargetInputs } from '../../../bench/targets.ts';
import { messageKeyOf } from '../../../bench/sink.ts';

const bundle = (name: BundleResult['name'], bytes: number, initMs: number): BundleResult => ({
  name,
  entry: `lambdas/${name}.ts`,
  bytes,
  sourceMapBytes: 0,
  largest: [{ module: 'zod', bytes: 460_000 }],
  initMs,
  initSamplesMs: [initMs],
  initCpuMs: initMs - 20,
  initWithoutSourceMapsMs: initMs - 50,
});

const summary = (p50: number) => ({ count: 50, min: p50, mean: p50, p50, p90: p50, p99: p50, max: p50 });

describe('evaluateTargets', () => {
  const usage = { messages: 1, lambda: [], sqsRequests: 1, snsRequests: 0 };
  const cost = costPerMillion({ ...usage, dynamoReadUnits: 4, dynamoWriteUnits: 20, apiRequests: 1 });
  const operation = (operation: string, billedPerMessage: number, priced = true) =>
    ({ service: 'DynamoDB', operation, billedPerMessage, priced }) as OperationPerMessage;
  const inputs: TargetInputs = {
    pipeline: {
      deliveredPerSecond: 36,
      isolated: { messages: 50, acceptLatencyMs: summary(12.5), acceptToRelayMs: summary(450) },
    } as never,
    deliveryRatio: 0.1,
    cost: { ...cost, prices: {} as never },
    batch: { cost: costPerMillion({ ...usage, dynamoReadUnits: 0.5, dynamoWriteUnits: 1, apiRequests: 0.01 }) } as BulkRunResult,
    bundles: [bundle('api', 2 * 1024 * 1024, 100), bundle('stream', 500 * 1024, 210)],
    aws: {
      operations: [operation('PutItem', 4), operation('UpdateItem', 2), operation('GetRecords', 0.5, false), operation('GetItem', 3)],
      tables: { messages: { readUnits: 1, writeUnits: 14, indexWriteUnits: 2, readUnitsPerMessage: 1, writeUnitsPerMessage: 14 } },
    } as never,
  };
  const targets = evaluateTargets(inputs);
  const byName = (name: string) => targets.find((t) => t.name === name)!;

  it('holds throughput to 72 a second and 12 % of the baseline, saying how far off', () => {
    expect(byName('delivered per second')).toMatchObject({
      met: false,
      value: '36.0',
      target: '≥ 72.0',
      shortfall: '36.0 short; 2.00× needed',
    });
    expect(byName('delivered per second vs the nodemailer baseline')).toMatchObject({ met: false, value: '10.0 %', target: '≥ 12.0 %' });
  });

  it('counts billed requests of priced operations per send, at most 7, and write units, at most 5', () => {
    expect(byName('AWS requests per single send')).toMatchObject({
      met: false,
      value: '9.00',
      target: '≤ 7.00',
      shortfall: '2.00 over (29 %)',
    });
    expect(byName('AWS requests per single send').note).toBe('largest: PutItem 4.00, GetItem 3.00, UpdateItem 2.00');
    expect(byName('DynamoDB WRU per single send')).toMatchObject({ met: false, value: '20.00', note: '14.00 of them in table messages' });
  });

  it('prices single sends under $5 and batches under $1.50 a million, naming the largest service', () => {
    // 20 WRU $12.50 + 4 RRU $0.50 + SQS $0.40 + API $1.00
    expect(byName('AWS cost per million single sends')).toMatchObject({ met: false, value: '$14.40', shortfall: '$9.40 over (188 %)' });
    expect(byName('AWS cost per million single sends').note).toBe('largest: DynamoDB $13.00');
    // 1 WRU $0.625 + 0.5 RRU $0.0625 + SQS $0.40 + API $0.01
    expect(byName('AWS cost per million sends in batches of 100')).toMatchObject({ met: true, value: '$1.10', target: '< $1.50' });
    expect(targets.find((t) => t.name.includes('campaign'))).toBeUndefined();
  });

  it('checks each function’s load time as deployed', () => {
    expect(byName('api init (as deployed, with source maps)')).toMatchObject({ met: true, value: '100 ms' });
    expect(byName('stream init (as deployed, with source maps)')).toMatchObject({
      met: false,
      shortfall: '60 ms over (40 %)',
      note: '190 ms of CPU; 160 ms without --enable-source-maps',
    });
  });

  it('holds latency one message at a time to 15 ms for the 202 and 300 ms from there to the relay', () => {
    expect(byName('accept latency p50, one message at a time')).toMatchObject({ met: true, value: '12.5 ms', target: '< 15.0 ms' });
    expect(byName('202 to relay p50, one message at a time')).toMatchObject({
      met: false,
      value: '450 ms',
      shortfall: '150 ms over (50 %)',
    });
  });

  it('says "not measured" for what older results lack, and why a bundle did not load', () => {
    const older = evaluateTargets({
      ...inputs,
      batch: undefined,
      pipeline: { deliveredPerSecond: 80 } as never,
      bundles: [{ ...bundle('inbound', 4_000_000, Number.NaN), error: 'ConfigError: needs MAILROOM_RETURN_PATH_MX' }],
    });
    const named = (name: string) => older.find((t) => t.name === name)!;
    expect(named('delivered per second')).toMatchObject({ met: true, value: '80.0' });
    expect(named('AWS cost per million sends in batches of 100')).toEqual({
      name: 'AWS cost per million sends in batches of 100',
      target: '< $1.50',
      value: 'not measured',
    });
    expect(named('accept latency p50, one message at a time')).toMatchObject({ value: 'not measured' });
    expect(named('accept latency p50, one message at a time').met).toBeUndefined();
    expect(named('inbound init (as deployed, with source maps)')).toMatchObject({
      value: 'n/a',
      note: 'ConfigError: needs MAILROOM_RETURN_PATH_MX',
    });
  });

  it('reads the committed results file', () => {
    const committed = JSON.parse(readFileSync(new URL('../../../bench/results/latest.json', import.meta.url), 'utf8')) as BenchResults;
    const evaluated = evaluateTargets(committed);
    expect(evaluated.map((t) => t.name)).toContain('AWS cost per million single sends');
    expect(evaluated.every((t) => t.value !== '' && !t.value.includes('NaN') && !t.value.includes('undefined'))).toBe(true);
  });
});

describe('formatTable', () => {
  it('pads the first column left and the others right', () => {
    expect(
      formatTable(
        [
          ['a', '1'],
          ['bbb', '22'],
        ],
        '',
      ),
    ).toBe('a      1\nbbb   22');
  });
});

describe('messageKeyOf', () => {
  it('reads X-Mailroom-Id, else Message-ID, from the header block only', () => {
    expect(messageKeyOf('Subject: hi\r\nx-mailroom-id:  01ABC \r\nMessage-ID: <m@x>\r\n\r\nX-Mailroom-Id: no')).toBe('01ABC');
    expect(messageKeyOf('Subject: hi\r\nMessage-ID: <m@x>\r\n\r\nbody')).toBe('<m@x>');
    expect(messageKeyOf('Subject: hi\r\n\r\nX-Mailroom-Id: body')).toBeUndefined();
  });
});

describe('bundles', () => {
  it('builds with the esbuild options of the CDK construct, for its runtime', () => {
    const construct = readFileSync(new URL('../../../cdk/constructs/bundled-function.ts', import.meta.url), 'utf8');
    const bench = readFileSync(new URL('../../../bench/bundles.ts', import.meta.url), 'utf8');
    expect(construct).toContain('buildSync(lambdaBuildOptions(');
    expect(bench).toContain('build({ ...lambdaBuildOptions(');
    expect(construct).toContain(`Runtime.NODEJS_${LAMBDA_TARGET.replace('node', '')}_X`);
  });

  it('counts every file of a split bundle, and as loaded at start the entry and what it imports statically', () => {
    const output = (bytes: number, imports: Metafile['outputs'][string]['imports'] = []) => ({ bytes, imports, exports: [], inputs: {} });
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        'out/index.mjs': output(100, [
          { path: 'out/chunk-a.mjs', kind: 'import-statement' },
          { path: 'out/lazy.mjs', kind: 'dynamic-import' },
          { path: 'node:fs', kind: 'import-statement', external: true },
        ]),
        'out/index.mjs.map': output(500),
        'out/chunk-a.mjs': output(40, [{ path: 'out/chunk-b.mjs', kind: 'import-statement' }]),
        'out/chunk-b.mjs': output(7, [{ path: 'out/chunk-a.mjs', kind: 'import-statement' }]),
        'out/lazy.mjs': output(1000, [{ path: 'out/chunk-b.mjs', kind: 'import-statement' }]),
      },
    };
    expect(splitSizes(metafile, '/root', '/root/out')).toEqual({
      files: ['out/index.mjs', 'out/chunk-a.mjs', 'out/chunk-b.mjs', 'out/lazy.mjs'],
      bytes: 1147,
      startBytes: 147,
    });
  });

  it('names the package of a bundled file', () => {
    expect(packageOf('node_modules/@aws-sdk/client-sqs/dist-es/index.js')).toBe('@aws-sdk/client-sqs');
    expect(packageOf('node_modules/zod/v4/core/core.js')).toBe('zod');
    expect(packageOf('node_modules/a/node_modules/b/x.js')).toBe('b');
    expect(packageOf('lib/wiring.ts')).toBe('mailroom');
  });
});
