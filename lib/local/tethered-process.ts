/**
 * A child process that ends when this process ends, however it ends. A JVM cannot notice that
 * its parent died, and Node offers no `PR_SET_PDEATHSIG`, so the program runs under a small
 * shell that also reads a pipe from this process: the read returns when the pipe closes — at
 * {@link Tethered.stop}, or when this process exits or is killed, even with SIGKILL — and the
 * shell then sends the program SIGTERM. The shell leads a process group of its own, so a
 * terminal's Ctrl-C reaches this process only, which stops the program after the work that
 * still needs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = [
  // Keep the pipe from this process on fd 3; the program itself gets /dev/null.
  'exec 3<&0',
  '"$@" </dev/null 3<&- &',
  'pid=$!',
  '(read -r _ <&3; kill -TERM "$pid" 2>/dev/null) &',
  'exec 3<&-',
  'wait "$pid"',
].join('\n');

/** Exit status of the shell when it could not find the program. */
export const NOT_FOUND = 127;

export interface Tethered {
  /** The shell; its `exit` event reports the program's exit status. */
  child: ChildProcess;
  /** Ends the program (SIGTERM), and after `graceMs` the whole group (SIGKILL); resolves once the shell has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` with `args`, tethered to this process. */
export function spawnTethered(command: string, args: string[], options: { cwd?: string } = {}): Tethered {
  const child = spawn('sh', ['-c', SCRIPT, 'sh', command, ...args], {
    ...options,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  // The program ended by itself: release the watching shell too.
  child.once('exit', () => child.stdin?.destroy());
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return {
    child,
    stop: (graceMs = 5000) =>
      gone() || child.pid === undefined
        ? Promise.resolve()
        : new Promise((resolve) => {
            const timer = setTimeout(killGroup, graceMs);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.stdin?.end();
          }),
  };
}
