/** The event log in memory. */
import type { MailEvent } from '../../../lib/domain/events.ts';
import type { EventStore } from '../../../lib/ports/event-store.ts';

/** An {@link EventStore} in memory: an event id is kept once; `failing` makes appends throw. */
export class MemoryEventStore implements EventStore {
  readonly events: MailEvent[] = [];
  failing = false;

  async append(events: MailEvent[]): Promise<void> {
    if (this.failing) throw new Error('events table unavailable');
    for (const e of events) if (!this.events.some((x) => x.eventId === e.eventId)) this.events.push(e);
  }

  async list(messageId: string): Promise<MailEvent[]> {
    return this.events.filter((e) => e.messageId === messageId);
  }
}
