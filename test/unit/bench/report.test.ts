import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_MODULES, LAMBDA_TARGET, packageOf, REQUIRE_BANNER, SOURCES_CONTENT, type BundleResult } from '../../../bench/bundles.ts';
import { costPerMillion } from '../../../bench/cost.ts';
import { evaluateTargets, formatTable } from '../../../bench/report.ts';
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

describe('evaluateTargets', () => {
  const cost = costPerMillion({
    messages: 1,
    lambda: [],
    sqsRequests: 1,
    dynamoReadUnits: 4,
    dynamoWriteUnits: 20,
    apiRequests: 1,
    snsRequests: 0,
  });
  const targets = evaluateTargets({
    deliveryRatio: 0.1,
    cost: { ...cost, prices: {} as never },
    bundles: [bundle('api', 2 * 1024 * 1024, 100), bundle('stream', 500 * 1024, 210)],
    aws: {
      tables: { messages: { readUnits: 1, writeUnits: 14, indexWriteUnits: 2, readUnitsPerMessage: 1, writeUnitsPerMessage: 14 } },
    } as never,
  });
  const byName = (name: string) => targets.find((t) => t.name === name)!;

  it('says how far the delivery ratio is off', () => {
    expect(byName('pipeline delivery vs baseline')).toMatchObject({
      met: false,
      value: '10.0 %',
      shortfall: '30.0 points short; 4.0× the throughput needed',
    });
  });

  it('prices against the cost target and names the largest service', () => {
    // 20 WRU $12.50 + 4 RRU $0.50 + SQS $0.40 + API $1.00
    expect(byName('AWS cost per million single sends')).toMatchObject({ met: false, value: '$14.40', shortfall: '$6.40 over (80 %)' });
    expect(byName('AWS cost per million single sends').note).toContain(
      'largest: DynamoDB $13.00 (20.0 WRU per message, 14.0 of them in table messages)',
    );
  });

  it('checks each bundle’s size and load time', () => {
    expect(byName('api bundle size')).toMatchObject({ met: false, value: '2048 KB', shortfall: '1024 KB over' });
    expect(byName('api init')).toMatchObject({ met: true, value: '100 ms' });
    expect(byName('stream bundle size')).toMatchObject({ met: true });
    expect(byName('stream init')).toMatchObject({
      met: false,
      shortfall: '60 ms over',
      note: '190 ms of CPU; 160 ms without --enable-source-maps',
    });
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
  it('builds with the CDK construct’s banner, runtime, externals and source map settings', () => {
    const construct = readFileSync(new URL('../../../cdk/constructs/bundled-function.ts', import.meta.url), 'utf8');
    expect(construct).toContain(JSON.stringify(REQUIRE_BANNER).slice(1, -1).replace(/\\"/g, '"'));
    expect(construct).toContain(`Runtime.NODEJS_${LAMBDA_TARGET.replace('node', '')}_X`);
    expect(construct).toContain(`const EXTERNAL_MODULES = [${EXTERNAL_MODULES.map((name) => `'${name}'`).join(', ')}];`);
    expect(construct).toContain('externalModules: EXTERNAL_MODULES');
    expect(construct).toContain(`sourcesContent: ${SOURCES_CONTENT}`);
    expect(construct).toContain('minify: true');
    expect(construct).toContain('format: OutputFormat.ESM');
  });

  it('names the package of a bundled file', () => {
    expect(packageOf('node_modules/@aws-sdk/client-sqs/dist-es/index.js')).toBe('@aws-sdk/client-sqs');
    expect(packageOf('node_modules/zod/v4/core/core.js')).toBe('zod');
    expect(packageOf('node_modules/a/node_modules/b/x.js')).toBe('b');
    expect(packageOf('lib/wiring.ts')).toBe('mailroom');
  });
});
