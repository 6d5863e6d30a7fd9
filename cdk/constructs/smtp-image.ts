/**
 * The SMTP service's container image context, made at synth without Docker: esbuild bundles
 * the entry (with every dependency, the AWS SDK included) into one ESM file beside the
 * Dockerfile in cdk/smtp-image; Docker builds the image only when the stack is deployed.
 * Stacks excluded from bundling (`aws:cdk:bundling-stacks`, as tests and `cdk deploy
 * OtherStack` set it) get the Dockerfile folder alone, so synth stays fast there.
 */
import { Stack, Stage } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUIRE_BANNER } from '../bundling.ts';

/** The folder with the Dockerfile (and .dockerignore) of the SMTP image. */
export const SMTP_IMAGE_DIR = fileURLToPath(new URL('../smtp-image/', import.meta.url));

/**
 * Bundles `entry` into `outdir/index.mjs` (with a source map) and copies the Dockerfile next
 * to it. The folder is emptied first, so its contents (and the image's asset hash) depend on
 * the sources only.
 * @throws Error naming the entry when it is missing or does not compile.
 */
export function bundleSmtpImage(entry: string, outdir: string): void {
  if (!existsSync(entry)) throw new Error(`the SMTP service's entry point ${entry} does not exist`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  buildSync({
    entryPoints: [entry],
    outfile: path.join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  for (const file of ['Dockerfile', '.dockerignore']) copyFileSync(path.join(SMTP_IMAGE_DIR, file), path.join(outdir, file));
}

/**
 * The Docker build context for the SMTP image of `scope`'s stack: a bundle under the app's
 * output folder (so source-map paths stay the same from one synth to the next), or the bare
 * Dockerfile folder when the stack is excluded from bundling.
 */
export function smtpImageDirectory(scope: Construct, entry: string): string {
  if (!Stack.of(scope).bundlingRequired) return SMTP_IMAGE_DIR;
  const stage = Stage.of(scope);
  if (!stage) throw new Error("the SMTP image is bundled into the app's output folder: build the stack inside an App");
  const outdir = path.join(stage.assetOutdir, `bundling-smtp-image-${Stack.of(scope).stackName}`);
  bundleSmtpImage(entry, outdir);
  return outdir;
}
