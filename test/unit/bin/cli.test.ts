/**
 * The command line's frame: help for all commands and each one, exit codes, and when a command
 * runs against local mode (the endpoints local mode writes to its data folder).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../bin/cli.ts';
import { COMMANDS } from '../../../bin/commands.ts';
import { localSecrets, localTarget } from '../../../bin/local-target.ts';
import {
  ENDPOINTS_FILE,
  readLocalEndpoints,
  removeLocalEndpoints,
  writeLocalEndpoints,
  type LocalEndpoints,
} from '../../../lib/local/endpoints.ts';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(COMMANDS, argv, { out: (t) => void (out += t), err: (t) => void (err += t), env: {} });
  return { code, out, err };
}

describe('npx mailroom', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints every command on stdout and exits 0', async (flag) => {
    const { code, out, err } = await run(flag);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    for (const name of Object.keys(COMMANDS)) expect(out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it.each(Object.keys(COMMANDS))('%s --help prints its usage and options and exits 0, doing nothing', async (name) => {
    const { code, out } = await run(name, '--tenant', 'acme', '--help');
    expect(code).toBe(0);
    expect(out).toContain(`usage: npx mailroom ${name} `);
    expect(out).toContain('--local');
  });

  it('answers an unknown command, or none, with the usage on stderr and exit code 2', async () => {
    for (const argv of [['bogus'], []]) {
      const { code, out, err } = await run(...argv);
      expect({ code, out }).toEqual({ code: 2, out: '' });
      expect(err).toMatch(/^(unknown command "bogus"|a command is required)\nusage: npx mailroom <command>/);
    }
  });

  it('answers a mistake in a command with its usage on stderr and exit code 2', async () => {
    const { code, err } = await run('create-key', '--scopes', 'root');
    expect(code).toBe(2);
    expect(err).toContain('create-key: --tenant is required');
    expect(err).toContain('usage: npx mailroom create-key --tenant <id>');
    expect((await run('list-keys', '--tenant', 'acme', '--bogus')).code).toBe(2);
  });
});

describe('local mode for the command line', () => {
  const dataDir = mkdtempSync(join('.tmp', 'cli-local-'));
  const endpoints: LocalEndpoints = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    api: 'http://127.0.0.1:3000',
    dynamodb: { endpoint: 'http://127.0.0.1:8000', region: 'us-east-1' },
    sqs: { endpoint: 'http://127.0.0.1:9324', region: 'us-east-1' },
    relay: 'capture',
    env: { MAILROOM_API_KEYS_TABLE: 'mailroom-api-keys' },
  };
  afterEach(() => {
    removeLocalEndpoints(dataDir);
    localSecrets.dir = undefined;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is chosen by --local, and then sets the endpoints, tables, region and emulator credentials', () => {
    writeLocalEndpoints(dataDir, endpoints);
    const env: NodeJS.ProcessEnv = { MAILROOM_DATA_DIR: dataDir, AWS_REGION: 'eu-west-1', AWS_PROFILE: 'prod' };
    expect(localTarget(true, [], env)).toEqual({ dataDir: resolve(dataDir), file: resolve(dataDir, ENDPOINTS_FILE), detected: false });
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      MAILROOM_API_KEYS_TABLE: 'mailroom-api-keys',
      MAILROOM_RELAY: 'capture',
    });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(localSecrets.dir).toBe(resolve(dataDir, 'secrets'));
  });

  it('is chosen without --local only when nothing names AWS or another endpoint', () => {
    writeLocalEndpoints(dataDir, endpoints);
    expect(localTarget(false, [], { MAILROOM_DATA_DIR: dataDir })?.detected).toBe(true);
    for (const env of [{ AWS_REGION: 'eu-west-1' }, { AWS_PROFILE: 'p' }, { AWS_ENDPOINT_URL_DYNAMODB: 'http://x' }]) {
      expect(localTarget(false, [], { MAILROOM_DATA_DIR: dataDir, ...env })).toBeUndefined();
    }
    expect(localTarget(false, ['--endpoint', 'http://127.0.0.1:1'], { MAILROOM_DATA_DIR: dataDir })).toBeUndefined();
  });

  it('is refused with --local when no local mode runs on the data folder, or when its process is gone', () => {
    expect(() => localTarget(true, [], { MAILROOM_DATA_DIR: dataDir })).toThrow(/no local mode is running/);
    writeLocalEndpoints(dataDir, { ...endpoints, pid: 2 ** 22 + 12345 });
    expect(readLocalEndpoints(dataDir)).toBeUndefined();
    expect(localTarget(false, [], { MAILROOM_DATA_DIR: dataDir })).toBeUndefined();
    rmSync(join(dataDir, ENDPOINTS_FILE));
    writeLocalEndpoints(dataDir, endpoints);
    expect(() => localTarget(true, ['--endpoint=http://x'], { MAILROOM_DATA_DIR: dataDir })).toThrow(/not both/);
  });
});
