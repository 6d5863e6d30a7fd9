/** CPU time of this process and of its child processes (DynamoDB Local's JVM), on Linux. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU seconds (user + system) used so far by each child process of this one, by command
 * name; empty where /proc is not available.
 */
export function childCpuSeconds(): Record<string, number> {
  const result: Record<string, number> = {};
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return result;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces; the fields after it are fixed.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      const seconds = (Number(fields[11]) + Number(fields[12])) / clockTicks();
      result[name] = (result[name] ?? 0) + seconds;
    } catch {
      // The process ended meanwhile.
    }
  }
  return result;
}

/** CPU seconds of this process and of its children, to subtract one reading from another. */
export function cpuReading(): { self: number; children: Record<string, number> } {
  const usage = process.cpuUsage();
  return { self: (usage.user + usage.system) / 1e6, children: childCpuSeconds() };
}

/** CPU seconds spent between two readings, by process (`node` for this one). */
export function cpuSpent(before: ReturnType<typeof cpuReading>, after: ReturnType<typeof cpuReading>): Record<string, number> {
  const spent: Record<string, number> = { node: after.self - before.self };
  for (const [name, seconds] of Object.entries(after.children)) spent[name] = seconds - (before.children[name] ?? 0);
  return spent;
}
