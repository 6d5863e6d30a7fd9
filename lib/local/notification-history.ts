/**
 * The history of local mode's notifications feed, kept in the data folder: one JSON line per
 * notification or tenant notice, appended as they come (mode 0600). Started again, local mode
 * reads back the latest ones; the file is rewritten with only those at start and whenever it
 * has grown to several times their number.
 */
import { appendFileSync, chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { HistoryEntry, NotificationHistory } from '../adapters/sns/log-notifier.ts';

/** The file in the data folder. */
export const NOTIFICATIONS_FILE = 'notifications.jsonl';

function parse(line: string): HistoryEntry | undefined {
  try {
    const entry = JSON.parse(line) as Partial<HistoryEntry> | null;
    return entry && typeof entry === 'object' && ('notification' in entry || 'notice' in entry) ? (entry as HistoryEntry) : undefined;
  } catch {
    return undefined; // a line cut short when the process was killed mid-write
  }
}

/** {@link NotificationHistory} in a JSON-lines file. */
export class NotificationHistoryFile implements NotificationHistory {
  readonly #file: string;
  #lines = 0;
  /** Lines the file may reach before it is rewritten: several times what was kept at the last rewrite. */
  #limit = 200;

  constructor(file: string) {
    this.#file = file;
  }

  load(): HistoryEntry[] {
    if (!existsSync(this.#file)) return [];
    return readFileSync(this.#file, 'utf8')
      .split('\n')
      .map(parse)
      .filter((entry): entry is HistoryEntry => entry !== undefined);
  }

  record(entries: HistoryEntry[], kept: () => HistoryEntry[]): void {
    if (!entries.length) return;
    const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    appendFileSync(this.#file, text, { mode: 0o600 });
    this.#lines += entries.length;
    if (this.#lines > this.#limit) this.rewrite(kept());
  }

  rewrite(kept: HistoryEntry[]): void {
    const part = `${this.#file}.part`;
    writeFileSync(part, kept.map((entry) => `${JSON.stringify(entry)}\n`).join(''), { mode: 0o600 });
    chmodSync(part, 0o600);
    renameSync(part, this.#file);
    this.#lines = kept.length;
    this.#limit = 4 * Math.max(kept.length, 50);
  }
}
