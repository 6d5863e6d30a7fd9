/**
 * Each Lambda bundle as the CDK stack builds it (with cdk/bundling.ts's options: an entry
 * `index.mjs` and the chunks it loads), its size, and its cold initialisation: the time
 * `await import()` of the entry takes in a fresh `node` process.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, stop, type Metafile } from 'esbuild';
import { ENTRY_FILE, lambdaBuildOptions } from '../cdk/bundling.ts';
import { ENV } from '../lib/env.ts';
import { FUNCTIONS, type FunctionName } from '../lib/topology.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

export interface BundleResult {
  name: FunctionName;
  entry: string;
  /** Bytes of code in the bundle: index.mjs and every chunk. */
  bytes: number;
  /**
   * Bytes of code a cold start loads: index.mjs and the chunks it imports statically; the
   * rest is loaded by `import()` when first needed. Absent from results before bundles were split.
   */
  startBytes?: number;
  /** Bytes of the source maps deployed beside them. */
  sourceMapBytes: number;
  /** The largest packages in the bundle, by bytes of output in every file. */
  largest: { module: string; bytes: number }[];
  /** Median module load time with NODE_OPTIONS=--enable-source-maps, as deployed. */
  initMs: number;
  initSamplesMs: number[];
  /** Median CPU time of those loads: what a busy machine inflates less than the elapsed time. */
  initCpuMs: number;
  /** Median module load time without source map support, for comparison. */
  initWithoutSourceMapsMs: number;
  error?: string;
}

/**
 * The environment the stack gives function `name`, with placeholder values: loading a bundle reads
 * its configuration but calls nothing.
 */
export function placeholderEnv(name?: FunctionName): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'placeholder',
    AWS_SECRET_ACCESS_KEY: 'placeholder',
    AWS_LAMBDA_FUNCTION_NAME: 'mailroom-bench',
    // As Lambda sets it: with it the functions load the X-Ray tracer, as a deployment with tracing on does.
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  const queue = 'https://sqs.us-east-1.amazonaws.com/000000000000/mailroom-bench';
  for (const [key, name] of Object.entries(ENV)) {
    if (key.endsWith('Table')) env[name] = `mailroom-bench-${key}`;
    else if (key.endsWith('QueueUrl') || key === 'deadLetterQueueUrl') env[name] = `${queue}-${key}`;
    else if (key.endsWith('Bucket')) env[name] = `mailroom-bench-${key.toLowerCase()}`;
  }
  env[ENV.topicArn] = 'arn:aws:sns:us-east-1:000000000000:mailroom-bench';
  // The stack's default relay; an SMTP relay kept in Secrets Manager would add a network call at start.
  env[ENV.relay] = 'ses';
  // The link-signing key as local mode gives it; in AWS it comes from Secrets Manager (a network call at start).
  const names: Record<string, string> = ENV;
  if (names.linkSecret) env[names.linkSecret] = randomBytes(32).toString('base64');
  // The inbound function exists only in a stack with SES receiving on, which gives it the
  // return path's MX host (cdk/constructs/inbound-receiving.ts) and the bucket SES writes to;
  // the others are measured as the default stack (receiving off) builds them.
  if (name === 'inbound') env[ENV.returnPathMx] = 'inbound-smtp.us-east-1.amazonaws.com';
  return env;
}

/** Package of an esbuild input path (`node_modules/@aws-sdk/client-sqs/...` → `@aws-sdk/client-sqs`), or `mailroom`. */
export function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return 'mailroom';
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

function largestPackages(metafile: Metafile, top = 5): { module: string; bytes: number }[] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [path, input] of Object.entries(output.inputs))
      sizes.set(packageOf(path), (sizes.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  return [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([module, bytes]) => ({ module, bytes }));
}

/**
 * The code files of a split bundle (metafile output paths, relative to `root`), the bytes of
 * them all, and the bytes a cold start reads: `index.mjs` in `outdir` and every file it imports
 * statically, each counted once (files behind `import()` load when first needed).
 */
export function splitSizes(metafile: Metafile, root: string, outdir: string): { files: string[]; bytes: number; startBytes: number } {
  const code = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const outputs = new Map(code);
  const entry = code.find(([path]) => resolve(root, path) === resolve(outdir, ENTRY_FILE))?.[0];
  if (!entry) throw new Error(`no ${ENTRY_FILE} among the bundle's outputs`);
  const seen = new Set<string>();
  const visit = (path: string): number => {
    const output = outputs.get(path);
    if (seen.has(path) || !output) return 0;
    seen.add(path);
    const imported = output.imports.filter((i) => i.kind === 'import-statement' && !i.external);
    return output.bytes + imported.reduce((sum, next) => sum + visit(next.path), 0);
  };
  return { files: code.map(([path]) => path), bytes: code.reduce((sum, [, output]) => sum + output.bytes, 0), startBytes: visit(entry) };
}

function unmeasured(name: FunctionName, entry: string): BundleResult {
  return {
    name,
    entry,
    bytes: Number.NaN,
    sourceMapBytes: Number.NaN,
    largest: [],
    initMs: Number.NaN,
    initSamplesMs: [],
    initCpuMs: Number.NaN,
    initWithoutSourceMapsMs: Number.NaN,
  };
}

// Loads the bundle once and prints how long the import took, or why it failed.
const PROBE = [
  'const t0 = performance.now(); const c0 = process.cpuUsage();',
  'try { await import(process.argv[1]); const c = process.cpuUsage(c0);',
  'process.stdout.write(JSON.stringify({ importMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 })); }',
  'catch (error) { process.stdout.write(JSON.stringify({ error: `${error?.name}: ${error?.message}` })); }',
].join(' ');

async function loadTime(name: FunctionName, file: string, sourceMaps: boolean): Promise<{ importMs: number; cpuMs: number }> {
  const env = { ...process.env, ...placeholderEnv(name), NODE_OPTIONS: sourceMaps ? '--enable-source-maps' : '' };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(file).href], { env, timeout: 60_000 });
  const answer = JSON.parse(stdout) as { importMs?: number; cpuMs?: number; error?: string };
  if (answer.importMs === undefined || answer.cpuMs === undefined) throw new Error(answer.error ?? 'no answer');
  return { importMs: answer.importMs, cpuMs: answer.cpuMs };
}

/** Builds every function of FUNCTIONS into a temporary folder and measures each; `runs` loads per bundle. */
export async function measureBundles(options: {
  projectRoot: string;
  runs: number;
  onProgress?: (line: string) => void;
}): Promise<BundleResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-bundles-'));
  try {
    const results: BundleResult[] = [];
    for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, (typeof FUNCTIONS)[FunctionName]][]) {
      options.onProgress?.(`bundling ${name}`);
      const outdir = join(dir, name);
      const entryFile = join(outdir, ENTRY_FILE);
      let built;
      try {
        built = await build({ ...lambdaBuildOptions(options.projectRoot, spec.entry, outdir), metafile: true });
      } catch (error) {
        const message = (error as Error).message.split('\n').slice(0, 2).join(' ');
        results.push({ ...unmeasured(name, spec.entry), error: `bundling failed: ${message}` });
        continue;
      }
      const sizes = splitSizes(built.metafile, options.projectRoot, outdir);
      const result: BundleResult = {
        ...unmeasured(name, spec.entry),
        bytes: sizes.bytes,
        startBytes: sizes.startBytes,
        sourceMapBytes: sizes.files.reduce((sum, file) => sum + statSync(`${resolve(options.projectRoot, file)}.map`).size, 0),
        largest: largestPackages(built.metafile),
      };
      try {
        const plain: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < options.runs; i++) {
          const deployed = await loadTime(name, entryFile, true);
          result.initSamplesMs.push(deployed.importMs);
          cpu.push(deployed.cpuMs);
          plain.push((await loadTime(name, entryFile, false)).importMs);
        }
        result.initMs = median(result.initSamplesMs);
        result.initCpuMs = median(cpu);
        result.initWithoutSourceMapsMs = median(plain);
      } catch (error) {
        result.error = `loading the bundle failed: ${(error as Error).message.split('\n')[0]!.slice(0, 300)}`;
      }
      results.push(result);
    }
    return results;
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
