import { describe, expect, it } from 'vitest';
import { makeEvent, type EventType } from '../../../lib/domain/events.ts';
import { LogNotifier } from '../../../lib/adapters/sns/log-notifier.ts';
import { memoryLog } from '../../support/fakes/index.ts';

function event(n: number, type: EventType = 'sent') {
  return makeEvent({
    messageId: `01LOG${n}`,
    tenant: 'tenant-a',
    recipient: `person.${n}@example.org`,
    type,
    at: '2026-03-04T05:06:07.000Z',
    attempt: 1,
    tags: {},
    detail: { relay: 'capture' },
  });
}

describe('LogNotifier', () => {
  it('logs one line per event with type, message id and recipient domain only', async () => {
    const log = memoryLog();
    const { lines } = log;
    const notifier = new LogNotifier(log);

    await notifier.publish([event(1), event(2, 'bounced')]);

    expect(lines).toEqual([
      { level: 'info', message: 'delivery notification', extra: { type: 'sent', messageId: '01LOG1', recipientDomain: 'example.org' } },
      { level: 'info', message: 'delivery notification', extra: { type: 'bounced', messageId: '01LOG2', recipientDomain: 'example.org' } },
    ]);
    expect(JSON.stringify(lines)).not.toContain('person.');
  });

  it('keeps the last N notification documents, newest first', async () => {
    const notifier = new LogNotifier(memoryLog(), { keep: 3 });

    await notifier.publish([event(1), event(2)]);
    await notifier.publish([event(3), event(4)]);

    const recent = notifier.recent();
    expect(recent.map((d) => d.message_id)).toEqual(['01LOG4', '01LOG3', '01LOG2']);
    expect(recent[0]).toMatchObject({ version: 1, type: 'sent', recipient: 'person.4@example.org', detail: { relay: 'capture' } });
    // Callers get copies.
    recent[0]!.tags.changed = 'yes';
    expect(notifier.recent()[0]!.tags).toEqual({});
  });
});
