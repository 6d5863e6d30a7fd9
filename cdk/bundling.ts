/**
 * How every mailroom Lambda function is bundled: esbuild, ESM split into chunks, minified, for
 * Node.js 22, with every dependency (the AWS SDK v3 included, so its version is the one in
 * package-lock.json) but `source-map`. The stack (cdk/constructs/bundled-function.ts), the
 * benchmark (bench/bundles.ts) and the bundle contents test all build with these options.
 */
import type { BuildOptions } from 'esbuild';
import { join } from 'node:path';

// ESM output runs CommonJS dependencies (nodemailer, parts of the SDK) only if `require`
// exists; esbuild's ESM bundles have no `require` of their own, so define one (in every
// chunk). The alias keeps the import from colliding with names in the bundled code.
/** The banner at the top of every output file. */
export const REQUIRE_BANNER =
  "import { createRequire as __mailroomCreateRequire } from 'node:module'; const require = __mailroomCreateRequire(import.meta.url);";

/** The functions' runtime, Node.js 22 (Runtime.NODEJS_22_X), as an esbuild target. */
export const LAMBDA_TARGET = 'node22';

// Left out of every bundle: `source-map`, which Handlebars' compiler loads only if it is there
// (inside a try, for source maps of precompiled templates, which mailroom never asks for);
// without it, it uses its own stand-in. 26 KB less code to load in the api and campaign functions.
/** Packages left out of every bundle. */
export const EXTERNAL_MODULES = ['source-map'];

/** The entry's output file; the handler is `index.handler`. */
export const ENTRY_FILE = 'index.mjs';

/**
 * The esbuild options that bundle a function's `entry` (relative to `projectRoot`) into
 * `outdir`: `index.mjs` and the chunks it loads, beside it. Split into chunks so that code
 * behind `import()` (adapters and routes a request may not need) is neither read nor compiled
 * at a cold start; a single file would be parsed whole. The chunks sit in `outdir` itself, so
 * that `import.meta.url` names the bundle's folder from whichever file the code lands in (the
 * api finds the web console beside it).
 */
export function lambdaBuildOptions(projectRoot: string, entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: join(projectRoot, entry) },
    absWorkingDir: projectRoot,
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    platform: 'node',
    target: LAMBDA_TARGET,
    minify: true,
    // Mappings only, without a copy of every source file: a third of the size, which
    // `--enable-source-maps` reads and parses at every cold start. Stack traces still name the
    // TypeScript file and line.
    sourcemap: true,
    sourcesContent: false,
    external: EXTERNAL_MODULES,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    logLevel: 'silent',
  };
}
