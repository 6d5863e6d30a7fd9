import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogNotifier } from '../../../lib/adapters/sns/log-notifier.ts';
import { makeEvent } from '../../../lib/domain/events.ts';
import { DEFAULT_REPUTATION_POLICY, type SendingPausedNotice } from '../../../lib/domain/reputation.ts';
import { NotificationHistoryFile } from '../../../lib/local/notification-history.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function file(): string {
  const folder = mkdtempSync(join('.tmp', 'notification-history-'));
  folders.push(folder);
  return join(folder, 'notifications.jsonl');
}

const event = (n: number) =>
  makeEvent({
    messageId: `01HIST${n}`,
    tenant: 'dev',
    recipient: `person.${n}@example.org`,
    type: 'sent',
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    attempt: 1,
    tags: {},
    detail: { relay: 'capture' },
  });

const notice: SendingPausedNotice = {
  type: 'sending_paused',
  id: 'dev/sending_paused/2026-01-01T01:00:00.000Z',
  tenant: 'dev',
  at: '2026-01-01T01:00:00.000Z',
  reason: 'bounce rate 6.2% over the last 24 h (threshold 5%)',
  by: 'breaker',
  policy: DEFAULT_REPUTATION_POLICY,
  figures: { sent: 937.6, bouncedHard: 62.2, complained: 0 },
  rates: { bounceRate: 62.2 / 999.8, complaintRate: 0 },
};

describe('NotificationHistoryFile', () => {
  it('gives a new notifier what the last one kept, notices included, in a file only its owner reads', async () => {
    const path = file();
    const first = new LogNotifier(quiet, { history: new NotificationHistoryFile(path) });
    await first.publish([event(1), event(2)]);
    await first.publishNotice(notice);
    const second = new LogNotifier(quiet, { history: new NotificationHistoryFile(path) });
    expect(second.recent()).toEqual(first.recent());
    expect(second.notices()).toEqual(first.notices());
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('skips a line cut short by a killed process', async () => {
    const path = file();
    await new LogNotifier(quiet, { history: new NotificationHistoryFile(path) }).publish([event(1)]);
    appendFileSync(path, '{"notification":{"version":1,"id":"01HI');
    const reloaded = new LogNotifier(quiet, { history: new NotificationHistoryFile(path) });
    expect(reloaded.recent().map((n) => n.message_id)).toEqual(['01HIST1']);
  });

  it('keeps the file near the number of documents kept', async () => {
    const path = file();
    const notifier = new LogNotifier(quiet, { keep: 10, history: new NotificationHistoryFile(path) });
    for (let n = 0; n < 1000; n++) await notifier.publish([event(n)]);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
    expect(lines).toBeLessThanOrEqual(250);
    const reloaded = new LogNotifier(quiet, { keep: 10, history: new NotificationHistoryFile(path) });
    expect(reloaded.recent().map((n) => n.message_id)).toEqual(Array.from({ length: 10 }, (_, i) => `01HIST${999 - i}`));
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
  });
});
