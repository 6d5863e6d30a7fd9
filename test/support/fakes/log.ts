/** A logger that keeps its lines instead of printing them. */
import type { Log } from '../../../lib/ports/logger.ts';

/** One line of a {@link MemoryLog}. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  extra?: Record<string, unknown>;
}

/** A {@link Log} whose lines tests may read. */
export interface MemoryLog extends Log {
  readonly lines: LogLine[];
}

/** Collects log lines instead of printing them; tests may assert on them. */
export function memoryLog(): MemoryLog {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, extra?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(extra && { extra }) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
