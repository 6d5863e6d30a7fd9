/**
 * `npx mailroom` against local mode with no AWS settings in the shell: local mode writes its
 * endpoints and table names to its data folder while it runs, and the command line finds them
 * with `--local` (or by itself when nothing names AWS). Help and unknown commands as a user
 * runs them.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS_FILE } from '../../lib/local/endpoints.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { call, startPipeline } from '../support/pipeline.ts';

const exec = promisify(execFile);
const dataDir = join(process.cwd(), '.tmp', `cli-local-${process.pid}-${Date.now()}`);

/** The shell's environment without any AWS setting, and with local mode's data folder. */
function bareEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('MAILROOM_')));
  return { ...env, MAILROOM_DATA_DIR: dataDir };
}

/** Each command starts a Node process with tsx: seconds apiece on a busy two-core machine. */
const SLOW = 90_000;

/** Runs `npx mailroom …` (tsx as a Node loader); resolves with its code, stdout and stderr. */
async function mailroom(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'bin/mailroom.ts', ...args], { env: bareEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startPipeline({ dataDir });
}, 60_000);
let stopped = false;
afterAll(async () => {
  if (!stopped) await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npx mailroom help', () => {
  it(
    '--help prints the usage and exits 0; an unknown command exits 2 with the usage on stderr',
    async () => {
      const help = await mailroom('--help');
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toContain('usage: npx mailroom <command> [options]');
      const unknown = await mailroom('frobnicate');
      expect(unknown).toMatchObject({ code: 2, stdout: '' });
      expect(unknown.stderr).toContain('unknown command "frobnicate"\nusage: npx mailroom <command>');
    },
    SLOW,
  );
});

describe('npx mailroom against local mode', () => {
  it('finds local mode’s endpoints and tables in its data folder, readable by its owner only', () => {
    const file = join(dataDir, ENDPOINTS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const endpoints = JSON.parse(readFileSync(file, 'utf8'));
    expect(endpoints).toMatchObject({
      pid: process.pid,
      api: runtime.apiUrl,
      dynamodb: { endpoint: runtime.dynamoEndpoint },
      sqs: { endpoint: runtime.sqsEndpoint },
      relay: 'capture',
      env: { MAILROOM_API_KEYS_TABLE: runtime.env.MAILROOM_API_KEYS_TABLE, MAILROOM_SEND_QUEUE_URL: runtime.queueUrl },
    });
    expect(readFileSync(file, 'utf8')).not.toContain(runtime.apiKey);
  });

  it(
    'runs commands with --local and no AWS region, credentials or table names',
    async () => {
      const keys = await mailroom('list-keys', '--tenant', 'dev', '--local');
      expect(keys.stderr).toBe('');
      expect(keys.stdout).toContain(`${runtime.apiKey.slice(0, 9)}…`);

      const created = await mailroom('create-tenant', '--id', 'cli-acme', '--name', 'Acme', '--local');
      expect(JSON.parse(created.stdout)).toMatchObject({ id: 'cli-acme', name: 'Acme' });
      expect((await call(runtime, 'GET', '/v1/tenants/cli-acme')).body).toMatchObject({ id: 'cli-acme', relay: null });

      // The relay's URL goes to local mode's own secrets folder, where its delivery reads it.
      const relay = await mailroom('set-relay', '--tenant', 'cli-acme', '--smtp-url', 'smtp://u:pw@smtp.acme.test:587', '--local');
      expect(JSON.parse(relay.stdout).relay).toEqual({ type: 'smtp', url: 'smtp://u:***@smtp.acme.test:587' });
      expect(existsSync(join(dataDir, 'secrets', 'cli-acme__smtp-relay'))).toBe(true);

      const redrive = await mailroom('redrive', '--dry-run', '--local');
      expect(redrive).toMatchObject({ code: 0, stderr: '' });
      expect(redrive.stdout).toContain('left in the dead-letter queue: 0');
    },
    SLOW,
  );

  it(
    'uses local mode by itself when the shell names no AWS settings, and says so',
    async () => {
      const keys = await mailroom('list-keys', '--tenant', 'dev');
      expect(keys.code).toBe(0);
      expect(keys.stderr).toBe(`local mode: ${join(dataDir, ENDPOINTS_FILE)}\n`);
      expect(keys.stdout).toContain(`${runtime.apiKey.slice(0, 9)}…`);
    },
    SLOW,
  );

  it(
    'removes its endpoints when it stops, after which --local is refused',
    async () => {
      stopped = true;
      await runtime.stop();
      expect(existsSync(join(dataDir, ENDPOINTS_FILE))).toBe(false);
      const refused = await mailroom('list-keys', '--tenant', 'dev', '--local');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--local: no local mode is running');
    },
    SLOW,
  );
});
