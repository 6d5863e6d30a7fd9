/** A notifier that keeps what it would publish. */
import type { MailEvent } from '../../../lib/domain/events.ts';
import type { TenantNotice } from '../../../lib/domain/tenant-notice.ts';
import type { Notifier } from '../../../lib/ports/notifier.ts';

/** A {@link Notifier} in memory: each `publish` call's events, and each notice; `failing` makes both throw. */
export class MemoryNotifier implements Notifier {
  readonly published: MailEvent[][] = [];
  readonly notices: TenantNotice[] = [];
  failing = false;

  async publish(events: MailEvent[]): Promise<void> {
    if (this.failing) throw new Error('topic unavailable');
    this.published.push(events);
  }

  async publishNotice(notice: TenantNotice): Promise<void> {
    if (this.failing) throw new Error('topic unavailable');
    this.notices.push(notice);
  }
}
