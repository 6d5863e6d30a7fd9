/**
 * The machine's processes as Linux's /proc shows them: for tests that check what local mode
 * starts (DynamoDB Local's JVM and its arguments) and that nothing it started outlives it.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The arguments, the program first. */
  argv: string[];
}

function read(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    return { pid, ppid: Number(fields[1]), argv };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every live process (zombies count as gone). */
export function processes(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => read(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** Whether the process runs (a zombie does not). */
export function alive(pid: number): boolean {
  return read(pid) !== undefined;
}

/** The processes descended from `pid`, children first. */
export function descendants(pid: number): ProcessInfo[] {
  const all = processes();
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const info of all) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** The JVMs running DynamoDB Local with their data under `folder`. */
export function dynamoDbLocalJvms(folder: string): ProcessInfo[] {
  return processes().filter(
    (info) =>
      /(^|\/)java$/.test(info.argv[0] ?? '') && info.argv.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && info.argv.includes(folder),
  );
}

/** The value following `flag` in `argv`. */
export function argument(argv: string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at === -1 ? undefined : argv[at + 1];
}
