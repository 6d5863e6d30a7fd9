/**
 * Local mode's DeliveryScheduler: schedules kept as files in a folder, fired onto the send
 * queue once they are due by the scheduler's clock, once each, across a restart.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderDeliveryScheduler } from '../../../lib/adapters/fs/folder-delivery-scheduler.ts';
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { clockAt, MemorySendQueue, memoryLog } from '../../support/fakes/index.ts';

const root = mkdtempSync(join(tmpdir(), 'schedules-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const newFolder = () => join(root, String(++folders));

const T = Date.parse('2026-12-06T10:00:00.000Z');
const HOUR = 3_600_000;
const job = (id: string, at: number): DeliveryJob => ({ v: 1, messageId: id, tenant: 'acme', attempt: 1, notBefore: at, enqueuedAt: T });

function open(folder: string | undefined, queue = new MemorySendQueue(), clock = clockAt(T)) {
  const log = memoryLog();
  const scheduler = FolderDeliveryScheduler.open({ ...(folder && { folder }), queue, clock, log });
  return { scheduler, queue, clock, log };
}

describe('FolderDeliveryScheduler', () => {
  it('puts each job on the queue once its time has come, and only then', async () => {
    const { scheduler, queue, clock } = open(newFolder());
    await scheduler.schedule('01A', T + HOUR, job('01A', T + HOUR));
    await scheduler.schedule('01B', T + 2 * HOUR, job('01B', T + 2 * HOUR));
    expect(await scheduler.fireDue()).toBe(0);
    clock.advance(HOUR - 1);
    expect(await scheduler.fireDue()).toBe(0);
    clock.advance(1);
    expect(await scheduler.fireDue()).toBe(1);
    expect(queue.enqueued).toEqual([{ job: job('01A', T + HOUR) }]);
    expect(await scheduler.fireDue()).toBe(0);
    clock.advance(HOUR);
    await scheduler.fireDue();
    expect(queue.jobs.map((j) => j.messageId)).toEqual(['01A', '01B']);
    expect(scheduler.pending()).toBe(0);
  });

  it('keeps the first schedule of a name, as EventBridge Scheduler does', async () => {
    const { scheduler, queue, clock } = open(newFolder());
    await scheduler.schedule('01A', T + HOUR, job('01A', T + HOUR));
    await scheduler.schedule('01A', T + 3 * HOUR, job('01A', T + 3 * HOUR));
    clock.advance(HOUR);
    await scheduler.fireDue();
    expect(queue.jobs).toEqual([job('01A', T + HOUR)]);
  });

  it('forgets a canceled schedule, and takes a cancel of none', async () => {
    const folder = newFolder();
    const { scheduler, queue, clock } = open(folder);
    await scheduler.schedule('01A', T + HOUR, job('01A', T + HOUR));
    await scheduler.cancel('01A');
    await scheduler.cancel('01UNKNOWN');
    expect(readdirSync(folder)).toEqual([]);
    clock.advance(HOUR);
    await scheduler.fireDue();
    expect(queue.enqueued).toEqual([]);
  });

  it('keeps its schedules across a restart, and fires each once in all', async () => {
    const folder = newFolder();
    const first = open(folder);
    await first.scheduler.schedule('01A', T + HOUR, job('01A', T + HOUR));
    await first.scheduler.schedule('01B', T + 2 * HOUR, job('01B', T + 2 * HOUR));
    first.clock.advance(HOUR);
    await first.scheduler.fireDue();
    await first.scheduler.stop();

    const clock = clockAt(T + 2 * HOUR);
    const second = open(folder, new MemorySendQueue(), clock);
    expect(second.scheduler.pending()).toBe(1);
    await second.scheduler.fireDue();
    expect([...first.queue.jobs, ...second.queue.jobs].map((j) => j.messageId)).toEqual(['01A', '01B']);
    expect(readdirSync(folder)).toEqual([]);
    await second.scheduler.stop();
    const third = open(folder, new MemorySendQueue(), clockAt(T + 3 * HOUR));
    await third.scheduler.fireDue();
    expect(third.queue.enqueued).toEqual([]);
  });

  it('keeps a schedule whose job the queue refused, and fires it at the next look', async () => {
    const { scheduler, queue, clock, log } = open(newFolder());
    await scheduler.schedule('01A', T + HOUR, job('01A', T + HOUR));
    clock.advance(HOUR);
    queue.failing = true;
    expect(await scheduler.fireDue()).toBe(0);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'scheduled job not enqueued; trying again' }));
    queue.failing = false;
    expect(await scheduler.fireDue()).toBe(1);
  });

  it('looks on its own once started, in memory without a folder', async () => {
    const queue = new MemorySendQueue();
    const clock = clockAt(T);
    const scheduler = FolderDeliveryScheduler.open({ queue, clock, log: memoryLog(), tickMs: 5 });
    scheduler.start();
    await scheduler.schedule('01A', T + HOUR, job('01A', T + HOUR));
    clock.advance(HOUR);
    await expect.poll(() => queue.enqueued.length).toBe(1);
    await scheduler.stop();
  });

  it('skips files it cannot read, and refuses names that are not safe file names', async () => {
    const folder = newFolder();
    const { scheduler } = open(folder);
    await scheduler.schedule('01A', T + HOUR, job('01A', T + HOUR));
    writeFileSync(join(folder, '01BROKEN.json'), '{"at":');
    writeFileSync(join(folder, '.01C.json.tmp'), 'half');
    const reopened = open(folder);
    expect(reopened.scheduler.pending()).toBe(1);
    // A file half written when local mode stopped is removed.
    expect(readdirSync(folder).sort()).toEqual(['01A.json', '01BROKEN.json']);
    expect(reopened.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'unreadable schedule file skipped' }));
    for (const name of ['', '../x', 'a/b', '.hidden']) await expect(scheduler.schedule(name, T, job('01A', T))).rejects.toThrow();
  });
});
