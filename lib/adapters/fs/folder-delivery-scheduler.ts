/**
 * DeliveryScheduler for local mode: each schedule is a small JSON file in the data folder
 * (`<name>.json`), so that it survives a restart; a timer looks every second for schedules
 * whose time has come on the scheduler's clock, puts their jobs on the send queue and then
 * removes them. The clock is the one every function reads, so tests can move time forward.
 *
 * A schedule fires once: its file goes only after the queue took the job. Local mode stopped
 * between the two fires it again at the next start, and delivery's claim makes the second job
 * a duplicate that sends nothing.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryJob } from '../../domain/delivery-job.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DeliveryScheduler } from '../../ports/delivery-scheduler.ts';
import type { Log } from '../../ports/logger.ts';
import type { SendQueue } from '../../ports/send-queue.ts';

/** Options of {@link FolderDeliveryScheduler}. */
export interface FolderDeliverySchedulerOptions {
  /** Folder of the schedule files, made when missing; in memory when absent (nothing survives a restart). */
  folder?: string;
  /** Where due jobs go. */
  queue: SendQueue;
  clock: Clock;
  log: Log;
  /** Time between looks for due schedules, in ms (1000 by default). */
  tickMs?: number;
}

interface Entry {
  at: number;
  job: DeliveryJob;
}

/** Names become file names: letters, digits, `_`, `-` and `.`, not starting with a dot (message ids are ULIDs). */
const SAFE_NAME = /^[0-9A-Za-z_-][0-9A-Za-z_.-]{0,63}$/;
const SUFFIX = '.json';

/** One-time schedules in a folder (or in memory), fired onto the send queue by a timer. */
export class FolderDeliveryScheduler implements DeliveryScheduler {
  readonly #entries = new Map<string, Entry>();
  readonly #options: FolderDeliverySchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  /** The look under way; looks run one after another. */
  #looking: Promise<number> = Promise.resolve(0);

  private constructor(options: FolderDeliverySchedulerOptions) {
    this.#options = options;
  }

  /** Opens the folder (making it when missing) and reads the schedules it holds; call `start` to have them fire. */
  static open(options: FolderDeliverySchedulerOptions): FolderDeliveryScheduler {
    const scheduler = new FolderDeliveryScheduler(options);
    if (options.folder) scheduler.#load(options.folder);
    return scheduler;
  }

  /** Schedules not fired yet. */
  pending(): number {
    return this.#entries.size;
  }

  async schedule(name: string, at: number, job: DeliveryJob): Promise<void> {
    if (!SAFE_NAME.test(name)) throw new Error(`a schedule name must be a safe file name, not ${JSON.stringify(name)}`);
    if (this.#entries.has(name)) return;
    const { folder } = this.#options;
    if (folder) {
      const file = join(folder, `${name}${SUFFIX}`);
      const temporary = join(folder, `.${name}${SUFFIX}.${process.pid}.tmp`);
      // Written whole under another name, then linked into place: a reader never sees half a
      // file, and a schedule that exists already (an earlier try) is kept.
      writeFileSync(temporary, JSON.stringify({ at, job }));
      try {
        linkSync(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        return;
      } finally {
        rmSync(temporary, { force: true });
      }
    }
    this.#entries.set(name, { at, job });
  }

  async cancel(name: string): Promise<void> {
    if (!SAFE_NAME.test(name)) return;
    this.#entries.delete(name);
    if (this.#options.folder) rmSync(join(this.#options.folder, `${name}${SUFFIX}`), { force: true });
  }

  /** Starts looking for due schedules every `tickMs`. */
  start(): void {
    this.#timer ??= setInterval(() => void this.fireDue(), this.#options.tickMs ?? 1000);
  }

  /**
   * Puts the job of every schedule whose time has come on the queue, earliest first, and
   * removes those schedules; resolves with how many fired, after any look already under way.
   * A job the queue refuses stays scheduled for the next look.
   */
  fireDue(): Promise<number> {
    this.#looking = this.#looking.then(() => this.#fire());
    return this.#looking;
  }

  /** Stops looking, once a look under way is over. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#looking;
  }

  async #fire(): Promise<number> {
    const now = this.#options.clock.now().getTime();
    const due = [...this.#entries].filter(([, entry]) => entry.at <= now).sort(([, a], [, b]) => a.at - b.at);
    let fired = 0;
    for (const [name, entry] of due) {
      try {
        await this.#options.queue.enqueue([entry.job]);
      } catch (error) {
        this.#options.log.warn('scheduled job not enqueued; trying again', { name, error: String(error) });
        break;
      }
      await this.cancel(name);
      fired++;
    }
    return fired;
  }

  #load(folder: string): void {
    mkdirSync(folder, { recursive: true });
    for (const file of readdirSync(folder)) {
      // Left by a write that local mode's stop cut short: its schedule was never made.
      if (file.endsWith('.tmp')) {
        unlinkSync(join(folder, file));
        continue;
      }
      if (!file.endsWith(SUFFIX)) continue;
      try {
        const entry = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Entry;
        if (typeof entry.at !== 'number' || typeof entry.job?.messageId !== 'string') throw new Error('not a schedule');
        this.#entries.set(file.slice(0, -SUFFIX.length), entry);
      } catch (error) {
        this.#options.log.warn('unreadable schedule file skipped', { file, error: String(error) });
      }
    }
  }
}
