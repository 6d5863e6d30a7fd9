/**
 * Each Lambda bundle holds only the SDK clients and libraries its function uses: the entries
 * import their own wiring module (lib/wiring/<function>.ts), never the lib/wiring.ts barrel,
 * and a shared module that pulled in another function's clients would show up here. Bundled
 * with the stack's esbuild settings (tree shaking included), nothing written to disk; every
 * file of a function's bundle counts, the chunks it loads only when first needed included.
 */
import { build, stop } from 'esbuild';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageOf } from '../../bench/bundles.ts';
import { lambdaBuildOptions } from '../../cdk/bundling.ts';
import { FUNCTIONS } from '../../lib/topology.ts';

type FunctionName = keyof typeof FUNCTIONS;

const ROOT = resolve(import.meta.dirname, '../..');

/** Packages each function must not carry (it never calls them). */
const ABSENT: Record<FunctionName, string[]> = {
  // Link tracking reads HTML with lib/domain/html-tags.ts, not a whole HTML parser; Handlebars does without source-map.
  api: ['@aws-sdk/client-sns', 'parse5', 'source-map'],
  deliver: ['@aws-sdk/client-sns', '@aws-sdk/client-scheduler', 'parse5', 'handlebars'],
  stream: [
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-secrets-manager',
    'nodemailer',
    'parse5',
    'handlebars',
  ],
  // Parses MIME with mailparser (which brings nodemailer's address parser) and reads S3; it sends
  // no mail, only routed mail's webhooks to the webhook queue (so the SQS client is its own).
  inbound: ['@aws-sdk/client-scheduler', '@aws-sdk/client-sesv2', '@aws-sdk/client-sns', 'parse5', 'handlebars'],
  sesEvents: [
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-sqs',
    'nodemailer',
    'parse5',
    'handlebars',
  ],
  export: [
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-sqs',
    'nodemailer',
    'parse5',
    'handlebars',
  ],
  campaign: [
    '@aws-sdk/client-s3',
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-scheduler',
    'nodemailer',
    'parse5',
    'source-map',
  ],
  // Import bodies are one PutObject and one GetObject each: no multipart uploads, no presigning.
  import: [
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-sns',
    '@aws-sdk/lib-storage',
    '@aws-sdk/s3-request-presigner',
    'nodemailer',
    'parse5',
    'handlebars',
    '@aws-sdk/client-scheduler',
  ],
  // Tries, their log and retries, and notices: DynamoDB, SQS, SNS and the domain key's secret; node:http for the requests.
  webhook: [
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-sesv2',
    'nodemailer',
    'parse5',
    'handlebars',
    'standardwebhooks',
  ],
  track: [
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-sesv2',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-sqs',
    'nodemailer',
    'parse5',
    'handlebars',
  ],
};

async function bundleInputs(name: FunctionName): Promise<Map<string, number>> {
  // Not written, and without the source map, which says nothing of what is bundled.
  const { metafile } = await build({
    ...lambdaBuildOptions(ROOT, FUNCTIONS[name].entry, resolve(ROOT, '.tmp', 'bundle-contents', name)),
    write: false,
    sourcemap: false,
    metafile: true,
  });
  // Only what is left in the output after tree shaking, in any of the bundle's files.
  const inputs = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [path, input] of Object.entries(output.inputs))
      if (input.bytesInOutput > 0) inputs.set(path, (inputs.get(path) ?? 0) + input.bytesInOutput);
  return inputs;
}

describe('Lambda bundle contents', () => {
  afterAll(() => stop());

  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    it(`${name} carries its own wiring and none of ${ABSENT[name].join(', ')}`, async () => {
      const inputs = await bundleInputs(name);
      const paths = [...inputs.keys()];
      expect(paths).not.toContain('lib/wiring.ts');
      expect(paths.some((path) => path.startsWith('lib/wiring/'))).toBe(true);
      const packages = new Set(paths.map(packageOf));
      for (const pkg of ABSENT[name]) expect(packages, `${name} bundles ${pkg}`).not.toContain(pkg);
    });
  }

  // `import { z } from 'zod'` would bundle every locale (some 260 KB); `import * as z` only the default one.
  it('bundles zod with its default locale alone where the schemas import its namespace', async () => {
    const paths = [...(await bundleInputs('sesEvents')).keys(), ...(await bundleInputs('deliver')).keys()];
    expect(paths.some((path) => path.includes('node_modules/zod/'))).toBe(true);
    expect(new Set(paths.filter((path) => path.includes('node_modules/zod/v4/locales/')))).toEqual(
      new Set(['node_modules/zod/v4/locales/en.js']),
    );
  });
});
