/**
 * The Node client builds on its own, as its package is published: its tsconfig compiles
 * clients/node/src to JavaScript and declarations that import nothing of the repository.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
let out: string | undefined;

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('clients/node', () => {
  it('compiles with its own tsconfig into a package that loads', async () => {
    out = await mkdtemp(join(ROOT, '.tmp', 'client-build-'));
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'clients/node/tsconfig.json', '--outDir', out], {
      cwd: ROOT,
    });
    const files = await readdir(out);
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'nodemailer.js', 'nodemailer.d.ts', 'schema.d.ts']));
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const text = await readFile(join(out, file), 'utf8');
      expect(text, file).not.toMatch(/from '\.\.\/|\.ts';/);
    }
    const client = await import(pathToFileURL(join(out, 'index.js')).href);
    expect(Object.keys(client).sort()).toEqual(['MailroomApiError', 'MailroomClient']);
    const transport = await import(pathToFileURL(join(out, 'nodemailer.js')).href);
    expect(transport.mailroomTransport({ url: 'http://127.0.0.1:1', apiKey: 'mr_x' }).name).toBe('mailroom');
  }, 120_000);
});
