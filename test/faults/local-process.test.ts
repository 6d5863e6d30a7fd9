/**
 * Local mode as a process manager runs it: `npm start` stopped by a signal to the npm process
 * alone (what systemd, a container runtime or a supervisor sends), not to its process group as
 * Ctrl-C in a terminal does; and local mode killed outright, which must not leave DynamoDB
 * Local's JVM running on its own.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.ts';
import { alive, descendants, type ProcessInfo } from '../support/processes.ts';

const dataDir = join(process.cwd(), '.tmp', `local-process-${process.pid}`);
let started: ProcessInfo[] = [];

afterEach(() => {
  // Whatever a failed test left running must not stay on the machine.
  for (const info of started) if (alive(info.pid)) process.kill(info.pid, 'SIGKILL');
  started = [];
  rmSync(dataDir, { recursive: true, force: true });
});

const isJvm = (info: ProcessInfo) => /(^|\/)java$/.test(info.argv[0] ?? '');

/** Starts `command` in a process group of its own; resolves once `ready` shows in its output. */
async function startUntil(command: string, args: string[], ready: RegExp) {
  const child = spawn(command, args, {
    env: {
      ...process.env,
      MAILROOM_PORT: '0',
      MAILROOM_SMTP_PORT: '0',
      MAILROOM_SMTPS_PORT: '0',
      MAILROOM_INBOUND_PORT: '0',
      MAILROOM_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`it exited:\n${output}`);
      return ready.test(output);
    },
    (up) => up,
    { timeout: 90_000, message: `${command} ${args.join(' ')} to start`, show: () => output },
  );
  started = descendants(child.pid!);
  expect(started.filter(isJvm)).toHaveLength(1);
  return { child, exited, output: () => output };
}

describe('npm start under a process manager', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops cleanly on %s sent to the npm process alone, leaving no process behind',
    async (signal) => {
      const { child, exited, output } = await startUntil('npm', ['start'], /Ctrl-C stops it/);
      process.kill(child.pid!, signal);
      const { code } = await exited;
      await waitFor(
        () => started.filter((info) => alive(info.pid)).map((info) => info.argv.slice(0, 2).join(' ')),
        (left) => left.length === 0,
        { timeout: 20_000, message: 'its processes to end' },
      );
      expect(output()).toContain('stopping mailroom');
      expect(code).toBe(0);
    },
    150_000,
  );
});

describe('local mode killed outright', () => {
  it("takes DynamoDB Local's JVM with it within seconds", async () => {
    const options = JSON.stringify({ port: 0, relay: 'capture' });
    const { child, exited } = await startUntil(process.execPath, ['--import', 'tsx', 'test/faults/runtime-process.ts', options], /apiUrl/);
    const jvm = started.find(isJvm)!;
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    await waitFor(
      () => alive(jvm.pid),
      (running) => !running,
      { timeout: 10_000, message: 'the JVM to exit' },
    );
  }, 150_000);
});
