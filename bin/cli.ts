/**
 * The command line's frame: commands with their usage, `--help` for all of them and for each,
 * `--local` for any, and exit codes (0 done or help, 1 failed, 2 a mistake in the command line).
 */
import { MailroomError } from '../lib/domain/errors.ts';
import { localTarget } from './local-target.ts';
import { UsageError } from './usage-error.ts';

export { UsageError };

/** One command of `npx mailroom`. */
export interface Command {
  /** One line: what it does. */
  summary: string;
  /** Its arguments, after `npx mailroom <name>`. */
  usage: string;
  /** More about it, for `--help`. */
  help?: string;
  run(argv: string[]): Promise<void>;
}

/** Options every command takes. */
const COMMON = `  --table <name>    the table (else the variable the functions read it from)
  --endpoint <url>  another DynamoDB, such as local mode's
  --local           local mode's endpoints and tables, from <data folder>/endpoints.json`;

const TARGETS = `Against AWS: the usual credentials and region. Against local mode (npm start): --local, or no
AWS settings at all (no --endpoint, AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID
or AWS_ENDPOINT_URL*) while local mode runs: its endpoints, table names and key come from its data
folder (MAILROOM_DATA_DIR, else .data). No AWS region or credentials are needed then.`;

/** `usage: npx mailroom <name> <usage>` and, with `full`, what it does and the common options. */
export function commandUsage(name: string, command: Command, full = false): string {
  const line = `usage: npx mailroom ${name} ${command.usage}`;
  if (!full) return line;
  return [line, '', command.summary + (command.help ? `\n\n${command.help}` : ''), '', 'options of every command:', COMMON, ''].join('\n');
}

/** Every command, one line each. */
export function usage(commands: Record<string, Command>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: npx mailroom <command> [options]',
    '       npx mailroom <command> --help',
    '',
    'commands:',
    ...lines,
    '',
    TARGETS,
    '',
  ].join('\n');
}

/** The text to print for a failed command: a MailroomError's message and details (never a secret). */
export function failureText(error: unknown): string {
  if (error instanceof MailroomError) return `${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}`;
  return (error as Error).message;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Runs the command line `argv`; resolves with the exit code. */
export async function main(commands: Record<string, Command>, argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage(commands));
    return 0;
  }
  if (!name || !Object.hasOwn(commands, name)) {
    io.err(`${name ? `unknown command "${name}"` : 'a command is required'}\n${usage(commands)}`);
    return 2;
  }
  const command = commands[name]!;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandUsage(name, command, true));
    return 0;
  }
  const local = rest.includes('--local');
  const args = rest.filter((a) => a !== '--local');
  try {
    const target = localTarget(local, args, io.env);
    if (target?.detected) io.err(`local mode: ${target.file}\n`);
    await command.run(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${name}: ${(error as Error).message}\n${commandUsage(name, command)}\n`);
      return 2;
    }
    io.err(`${name} failed: ${failureText(error)}\n`);
    return 1;
  }
}
