/**
 * Each Lambda bundle as the CDK stack builds it (cdk/constructs/bundled-function.ts: esbuild,
 * ESM, minified, Node.js 22 target, every dependency bundled but `source-map` (EXTERNAL_MODULES),
 * AWS SDK included, external source map without sources content, the `require` banner), its
 * size, and its cold initialisation: the time `await import()` of the bundle takes in a fresh
 * `node` process. Keep these settings and the construct's the same.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, stop, type BuildOptions, type Metafile } from 'esbuild';
import { ENV } from '../lib/env.ts';
import { FUNCTIONS, type FunctionName } from '../lib/topology.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

/** The construct's esbuild settings (aws-lambda-nodejs turns its `bundling` props into these). */
export const REQUIRE_BANNER =
  "import { createRequire as __mailroomCreateRequire } from 'node:module'; const require = __mailroomCreateRequire(import.meta.url);";
/** The construct's runtime, Node.js 22, as an esbuild target. */
export const LAMBDA_TARGET = 'node22';
/** The construct's `externalModules`: Handlebars' optional `source-map`, which it does without. */
export const EXTERNAL_MODULES = ['source-map'];
/** The construct's `sourcesContent`: the source map holds mappings, not copies of the sources. */
export const SOURCES_CONTENT = false;

/** The esbuild options the construct bundles a function's `entry` with, into `outfile` (with its metafile). */
export function stackBuildOptions(projectRoot: string, entry: string, outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [join(projectRoot, entry)],
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    target: LAMBDA_TARGET,
    format: 'esm',
    outfile,
    minify: true,
    sourcemap: true,
    sourcesContent: SOURCES_CONTENT,
    external: EXTERNAL_MODULES,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    logLevel: 'silent',
  };
}

export interface BundleResult {
  name: FunctionName;
  entry: string;
  /** Bytes of index.mjs, the code Lambda loads. */
  bytes: number;
  /** Bytes of the source map deployed beside it. */
  sourceMapBytes: number;
  /** The largest packages in the bundle, by bytes of output. */
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

function largestPackages(metafile: Metafile, root: string, outfile: string, top = 5): { module: string; bytes: number }[] {
  const output = Object.entries(metafile.outputs).find(([path]) => resolve(root, path) === resolve(outfile))?.[1];
  const sizes = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {}))
    sizes.set(packageOf(path), (sizes.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  return [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([module, bytes]) => ({ module, bytes }));
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
      const outfile = join(dir, name, 'index.mjs');
      let built;
      try {
        built = await build(stackBuildOptions(options.projectRoot, spec.entry, outfile));
      } catch (error) {
        const message = (error as Error).message.split('\n').slice(0, 2).join(' ');
        results.push({ ...unmeasured(name, spec.entry), error: `bundling failed: ${message}` });
        continue;
      }
      const result: BundleResult = {
        ...unmeasured(name, spec.entry),
        bytes: statSync(outfile).size,
        sourceMapBytes: statSync(`${outfile}.map`).size,
        largest: largestPackages(built.metafile, options.projectRoot, outfile),
      };
      try {
        const plain: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < options.runs; i++) {
          const deployed = await loadTime(name, outfile, true);
          result.initSamplesMs.push(deployed.importMs);
          cpu.push(deployed.cpuMs);
          plain.push((await loadTime(name, outfile, false)).importMs);
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
