/**
 * The README's quick start, as a new user runs it: `npm start`, the README's own curl
 * example with the printed key, the message on the mailbox page, the console's page, and Ctrl-C.
 */
import { spawn, execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/local/ports.ts';
import { waitFor } from '../support/wait.ts';

const run = promisify(execFile);
const dataDir = join(process.cwd(), '.tmp', `quick-start-${process.pid}`);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The README's first curl example that sends a message, with the placeholders of a local run. */
function readmeCurl(port: number): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const block = /```sh\n(export MAILROOM_KEY=[\s\S]*?curl -s http:\/\/127\.0\.0\.1:3000\/v1\/messages[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no quick-start curl example');
  const command = block
    .split('\n')
    .filter((line) => !line.startsWith('export') && !line.trim().startsWith('#'))
    .join('\n')
    .replace(/\\\n\s*/g, ' ');
  return [command.replace('127.0.0.1:3000', `127.0.0.1:${port}`)];
}

describe('README quick start', () => {
  it('npm start runs mailroom; the README curl example shows up on the mailbox page; Ctrl-C stops it cleanly', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      env: {
        ...process.env,
        MAILROOM_PORT: String(port),
        MAILROOM_SMTP_PORT: '0',
        MAILROOM_SMTPS_PORT: '0',
        MAILROOM_INBOUND_PORT: '0',
        MAILROOM_DATA_DIR: dataDir,
        MAILROOM_API_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that "Ctrl-C" below reaches npm, tsx and mailroom alike, as in a terminal.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`mailroom exited before it started:\n${output}`);
          return output;
        },
        (text) => /Ctrl-C stops it/.test(text),
        { timeout: 60_000, interval: 100, message: 'mailroom to start', show: (text) => `\n${text}` },
      );
      const key = /API key\s+(mr_[A-Za-z0-9_-]{43})/.exec(output)?.[1];
      expect(key).toBeDefined();
      expect(output).toContain(`http://127.0.0.1:${port}/mailbox`);
      // The web console, built by npm start when needed, at the address the banner prints.
      expect(output).toContain(`http://127.0.0.1:${port}/console/`);
      const consolePage = await fetch(`http://127.0.0.1:${port}/console/`);
      expect(consolePage.status).toBe(200);
      expect(await consolePage.text()).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js">/);

      const [command] = readmeCurl(port);
      const { stdout } = await run('bash', ['-c', command!], { env: { ...process.env, MAILROOM_KEY: key! } });
      const accepted = JSON.parse(stdout) as { id: string; status: string };
      expect(accepted.status).toBe('queued');

      const page = await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/mailbox`)).text(),
        (html) => html.includes('>Hi</a>'),
        { timeout: 30_000, interval: 100, message: 'the message on the mailbox page' },
      );
      expect(page).toContain('you@example.org');
      expect(page).toContain('>Hi</a>');
      const mail = await (await fetch(`http://127.0.0.1:${port}/mailbox/1`)).text();
      expect(mail).toContain('It works.');
      expect(mail).toContain(accepted.id);
    } finally {
      process.kill(-child.pid!, 'SIGINT');
    }
    await exited;
    // Everything it started (tsx, node, DynamoDB Local's JVM) is gone shortly after.
    const groupAlive = () => {
      try {
        process.kill(-child.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(groupAlive, (alive) => !alive, { timeout: 15_000, interval: 100, message: "mailroom's process group to exit" });
    expect(groupAlive()).toBe(false);
    expect(output).toContain('stopping mailroom');
    expect(output).not.toMatch(/"level":"ERROR"|could not start/);
  }, 120_000);
});
