/** A relay that sends nothing: it records each message and answers from a script. */
import type { RelayAnswer } from '../../../lib/domain/message.ts';
import type { MailRelay, OutgoingMail, RelayResult } from '../../../lib/ports/mail-relay.ts';

/** 250 for everyone. */
export const ACCEPTED: RelayAnswer = { code: 250, enhanced: '2.0.0', response: '250 2.0.0 OK queued' };

/** A {@link MailRelay} that keeps what it is sent and answers each recipient with `answer(email)`. */
export class MemoryRelay implements MailRelay {
  readonly sent: OutgoingMail[] = [];
  closed = false;

  constructor(
    public answer: (email: string) => RelayAnswer = () => ACCEPTED,
    readonly name = 'smtp',
  ) {}

  async send(mail: OutgoingMail): Promise<RelayResult> {
    this.sent.push(mail);
    return { relay: this.name, recipients: mail.envelope.to.map((email) => ({ email, ...this.answer(email) })) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
